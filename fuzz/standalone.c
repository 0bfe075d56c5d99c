/*
 * standalone.c: runs a fuzz target's LLVMFuzzerTestOneInput() once on each
 * file named on the command line, without libFuzzer, so that the targets
 * build with any C11 compiler and replay a corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  int i;
  for (i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    unsigned char *buf;
    long n;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
      fprintf(stderr, "standalone: cannot read %s\n", argv[i]);
      if (f != NULL) fclose(f);
      return 1;
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
      fprintf(stderr, "standalone: cannot read %s\n", argv[i]);
      free(buf);
      fclose(f);
      return 1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
  }
  printf("standalone: %d inputs\n", argc - 1);
  return 0;
}
