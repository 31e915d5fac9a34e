/* exit(7) after atexit handlers run and stdio is flushed: the emulator must exit with status 7. */
#include <stdio.h>
#include <stdlib.h>

static void second(void) { printf("atexit: second registered, runs first\n"); }
static void first(void) { printf("atexit: first registered, runs last\n"); }

int main(void) {
  atexit(first);
  atexit(second);
  printf("calling exit(7)");  /* no newline: exit must flush it */
  exit(7);
}
