/* IT blocks of every shape and condition (see itblocks.S): one checksum per shape and condition. */
#include <stdio.h>
#include <stdint.h>

extern void itblocks_run(uint32_t *out);
static uint32_t out[14 * 15];

int main(void) {
  static const char *const conds[] = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le"};
  itblocks_run(out);
  printf("shapes: it itt ite ittt itte itet itee itttt ittte ittet ittee itett itete iteet iteee\n");
  for (int c = 0; c < 14; c++) {
    printf("%s:", conds[c]);
    for (int s = 0; s < 15; s++) printf(" %08lx", (unsigned long)out[15 * c + s]);
    printf("\n");
  }
  return 0;
}
