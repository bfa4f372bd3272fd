#!/usr/bin/env python3
"""Writes a corrupted copy of an accelerator program (docs/AccelCommands.md)
for the bad-stream tests: patch_stream.py IN OUT FIELD VALUE, where FIELD is

  version      the program header's version
  dram-offset  the DRAM offset of the first dma_weight of the first launch
  wbuf-offset  the weight-buffer offset of that command
"""
import struct
import sys

src, dst, field, value = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
data = bytearray(open(src, "rb").read())
if field == "version":
    struct.pack_into("<I", data, 4, value)
else:
    launch = data.index(b"SACL")
    # magic, version, length, arch (152 bytes), region and command counts
    regions, commands = struct.unpack_from("<II", data, launch + 16 + 152)
    at = launch + 16 + 152 + 8 + 8 * regions
    while data[at] != 1:  # opcode 1: dma_weight
        at += 64
    word = {"dram-offset": 2, "wbuf-offset": 4}[field]
    struct.pack_into("<Q", data, at + 8 * word, value)
open(dst, "wb").write(bytes(data))
