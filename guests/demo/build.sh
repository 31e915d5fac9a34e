#!/bin/sh
# Rebuilds guests/demo/demo.elf (committed, so `npm start` needs no cross compiler).
set -eu
here=$(dirname "$0")
out=${1:-$here/demo.elf}
arm-none-eabi-gcc -mcpu=cortex-a15 -mfpu=vfpv3-d16 -mfloat-abi=hard -mthumb -O2 \
  --specs=rdimon.specs -Wl,-Ttext-segment=0x40010000 -Wl,-e,_boot -Wl,--build-id=none -s \
  "$here/start.S" "$here/demo.c" -o "$out"
