/*
 * fuzz.h - the one function every fuzz target defines (libFuzzer's
 * interface); tests/fuzz/replay.c calls it on files when the target is
 * built without libFuzzer.
 */
#ifndef MXB_FUZZ_H
#define MXB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
