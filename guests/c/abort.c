/* abort(): newlib raises SIGABRT, whose default action ends the program through _exit(1). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("about to abort\n");
  fflush(stdout);
  abort();
}
