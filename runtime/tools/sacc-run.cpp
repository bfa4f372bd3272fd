//===- sacc-run.cpp - Run an accelerator command stream on the simulator --===//
//
// Part of SparseNN. Executes a program written by `sparse-translate
// --sacc-to-commands` on runtime/accel's simulator, the way a hardware back
// end would consume it: inputs from .npy files, outputs to .npy files (or
// printed), statistics on stderr. No MLIR/LLVM dependency. Every bad input
// is a one-line error and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"
#include "sparsenn-runtime/IO.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace sparsenn::accel;

namespace {

[[noreturn]] void fatal(const std::string &message) {
  fprintf(stderr, "sacc-run: error: %s\n", message.c_str());
  exit(1);
}

const char *kUsage =
    "usage: sacc-run PROGRAM.sacc [--input=@x.npy]... [--output=@y.npy]... "
    "[--stats[=text|json]]\n\n"
    "Runs an accelerator program (sparse-translate --sacc-to-commands) on "
    "SparseNN's cycle-counting simulator.\n"
    "  --input=@FILE.npy   one per input buffer, in order (f32, the shape the "
    "program declares)\n"
    "  --output=@FILE.npy  one per output, in order; without them outputs "
    "print as 2x3xf32=...\n"
    "  --stats[=FORMAT]    cycles per op, bytes moved, PE utilisation, "
    "energy, area on stderr: text (default) or json\n";

std::vector<uint8_t> readFile(const std::string &path) {
  FILE *f = fopen(path.c_str(), "rb");
  if (!f)
    fatal("cannot open '" + path + "': " + strerror(errno));
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    bytes.insert(bytes.end(), chunk, chunk + n);
  bool failed = ferror(f);
  fclose(f);
  if (failed)
    fatal("cannot read '" + path + "'");
  return bytes;
}

std::string shapeStr(const std::vector<uint32_t> &shape) {
  std::string s;
  for (uint32_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f32";
}

} // namespace

int main(int argc, char **argv) {
  std::string programPath, stats;
  std::vector<std::string> inputs, outputs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      fputs(kUsage, stdout);
      return 0;
    }
    if (a.rfind("--input=", 0) == 0)
      inputs.push_back(a.substr(8));
    else if (a.rfind("--output=", 0) == 0)
      outputs.push_back(a.substr(9));
    else if (a == "--stats")
      stats = "text";
    else if (a.rfind("--stats=", 0) == 0)
      stats = a.substr(8);
    else if (a.rfind("-", 0) == 0)
      fatal("unknown option '" + a + "' (see --help)");
    else if (programPath.empty())
      programPath = a;
    else
      fatal("more than one program given ('" + programPath + "', '" + a + "')");
  }
  if (programPath.empty())
    fatal("no program given (see --help)");
  if (!stats.empty() && stats != "text" && stats != "json")
    fatal("--stats must be text or json, got '" + stats + "'");
  for (const std::string &s : inputs)
    if (s.size() < 2 || s[0] != '@')
      fatal("--input '" + s + "' must be @file.npy");
  for (const std::string &s : outputs)
    if (s.size() < 2 || s[0] != '@')
      fatal("--output '" + s + "' must be @file.npy");

  std::vector<uint8_t> bytes = readFile(programPath);
  Program program;
  std::string error;
  if (!decodeProgram(bytes.data(), bytes.size(), program, error))
    fatal("'" + programPath + "': " + error);
  bytes.clear();
  bytes.shrink_to_fit();

  // DRAM: one allocation per buffer (weights point into the image).
  std::vector<uint32_t> inputIds, outputIds;
  for (uint32_t id = 0; id < program.buffers.size(); ++id) {
    if (program.buffers[id].kind == BufferKind::Input)
      inputIds.push_back(id);
    if (program.buffers[id].kind == BufferKind::Output)
      outputIds.push_back(id);
  }
  if (inputs.size() != inputIds.size())
    fatal("the program takes " + std::to_string(inputIds.size()) +
          " input(s) but " + std::to_string(inputs.size()) + " --input given");
  if (!outputs.empty() && outputs.size() != outputIds.size())
    fatal("the program has " + std::to_string(outputIds.size()) +
          " output(s) but " + std::to_string(outputs.size()) +
          " --output given");
  ProgramMemory memory;
  if (!allocateProgram(program, memory, error))
    fatal(error);
  std::vector<void *> &base = memory.base;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ProgramBuffer &b = program.buffers[inputIds[i]];
    snn_array a;
    char err[512];
    if (snn_npy_read(inputs[i].c_str() + 1, &a, err, sizeof(err)))
      fatal("input #" + std::to_string(i) + ": " + err);
    bool same = a.dtype == SNN_DTYPE_F32 && a.rank == int32_t(b.shape.size());
    for (int32_t d = 0; same && d < a.rank; ++d)
      same = a.shape[d] == int64_t(b.shape[d]);
    if (!same) {
      std::string got;
      for (int32_t d = 0; d < a.rank; ++d)
        got += std::to_string(a.shape[d]) + "x";
      got += snn_dtype_name(a.dtype);
      snn_array_free(&a);
      fatal("input #" + std::to_string(i) + " is " + got +
            " but the program's input is " + shapeStr(b.shape));
    }
    memcpy(base[inputIds[i]], a.data, b.bytes);
    snn_array_free(&a);
  }

  Stats total;
  if (!simulateProgram(program, memory, total, error))
    fatal(error);

  for (size_t k = 0; k < outputIds.size(); ++k) {
    const ProgramBuffer &b = program.buffers[outputIds[k]];
    const float *data = static_cast<const float *>(base[outputIds[k]]);
    if (!outputs.empty()) {
      snn_array a;
      int64_t shape[SNN_MAX_RANK];
      for (size_t d = 0; d < b.shape.size(); ++d)
        shape[d] = b.shape[d];
      char err[512];
      if (snn_array_alloc(&a, SNN_DTYPE_F32, b.shape.size(), shape, err,
                          sizeof(err)))
        fatal(err);
      memcpy(a.data, data, b.bytes);
      int rc = snn_npy_write(outputs[k].c_str() + 1, &a, err, sizeof(err));
      snn_array_free(&a);
      if (rc)
        fatal(err);
      continue;
    }
    std::string line = shapeStr(b.shape) + "=";
    char text[64];
    for (uint64_t e = 0; e < b.bytes / 4; ++e) {
      float v = data[e];
      if (std::isnan(v))
        snprintf(text, sizeof(text), "nan");
      else if (std::isinf(v))
        snprintf(text, sizeof(text), v < 0 ? "-inf" : "inf");
      else
        snprintf(text, sizeof(text), "%.9g", v);
      line += (e ? "," : "") + std::string(text);
    }
    printf("%s\n", line.c_str());
  }
  fflush(stdout); // results first, then the statistics
  if (stats == "json")
    fprintf(stderr, "%s\n", total.json().c_str());
  else if (stats == "text")
    fputs(total.text().c_str(), stderr);
  return 0;
}
