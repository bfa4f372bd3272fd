//===- FuzzAccel.cpp - libFuzzer target for the accelerator's streams -----===//
//
// Part of SparseNN. Decodes each input as an accelerator program (the
// command stream of docs/AccelCommands.md) and, when it decodes, runs every
// launch on the simulator: any input must give results or a clean error,
// never a crash or an access outside the simulator's memories (built with
// ASan/UBSan). Programs whose memories or work exceed the fuzzer's budget
// are decoded but not run.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"

#include <cstdint>
#include <string>
#include <vector>

using namespace sparsenn::accel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Program program;
  std::string error;
  if (!decodeProgram(data, size, program, error))
    return 0;
  constexpr uint64_t kMaxBytes = 16 << 20, kMaxWork = 1 << 24;
  uint64_t bytes = 0;
  for (const ProgramBuffer &b : program.buffers)
    bytes += b.kind == BufferKind::Weights ? 0 : b.bytes;
  if (bytes > kMaxBytes)
    return 0;
  for (const Launch &l : program.launches) {
    uint64_t chip = (uint64_t(l.arch.weightKiB) + l.arch.actKiB + l.arch.outKiB)
                    << 10;
    uint64_t work = 0;
    for (const Command &c : l.commands)
      work += c.opcode() == Opcode::Compute ? c.w[5] * c.w[6] * c.w[7] + 1 : 1;
    if (chip > kMaxBytes || work > kMaxWork)
      return 0;
  }
  ProgramMemory memory;
  Stats stats;
  if (allocateProgram(program, memory, error))
    simulateProgram(program, memory, stats, error);
  return 0;
}
