//===- Simulator.cpp - Functional, cycle-counting accelerator simulator ---===//
//
// Part of SparseNN. Executes launch records on host memory standing for DRAM
// and on-chip buffers of the arch's sizes, and counts cycles, bytes moved per
// level, MACs and energy (docs/Accelerator.md describes the model):
//
//   - Two engines run concurrently: the DMA engine (loads and stores, in
//     order) and the compute engine (compute and epilogue, in order). A
//     command starts when its engine is free and every earlier command it
//     depends on through a buffer range (read after write, write after read
//     or write) has finished, so a compiler that alternates buffer halves
//     overlaps loads with compute (double buffering).
//   - DMA: dram_latency + ceil(bytes / dram_bytes_per_cycle) cycles.
//   - Compute: output rows (block rows for block<r,c>) are dealt to the PEs
//     round-robin. A PE's work is one MAC per stored weight value and batch
//     row (only the batch rows whose activation is nonzero when the arch
//     skips zero activations); with sparse formats on sparse PEs it also
//     decodes one index per cycle. The command takes the slowest PE's cycles
//     (max(ceil(work / macs_per_pe), decodes)) plus kComputeLatency. Dense
//     tiles, and every tile when the PEs are dense (a decompression unit
//     expands sparse tiles), perform all M*K MACs per batch row.
//   - Epilogue: ceil(B*M / pe_cols) + kComputeLatency cycles.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace sparsenn::accel {

namespace {

constexpr uint64_t kComputeLatency = 8;

uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

const char *opcodeName(unsigned op) {
  static const char *names[kNumOpcodes] = {"",        "dma_weight", "dma_act",
                                           "compute", "epilogue",   "dma_store",
                                           "barrier", "dma_patches"};
  return op < kNumOpcodes ? names[op] : "unknown";
}

/// Per-PE work of one weight tile: MACs and index decodes of each PE.
struct TileWork {
  std::vector<uint64_t> macs, decodes;
  uint64_t storedValues = 0;
};

/// The compute cycles of a tile from its per-PE work.
uint64_t cyclesOf(const Arch &a, const TileWork &w, bool sparseDecode) {
  uint64_t worst = 0;
  for (size_t p = 0; p < w.macs.size(); ++p) {
    uint64_t c = ceilDiv(w.macs[p], a.macsPerPE);
    if (sparseDecode)
      c = std::max(c, w.decodes[p]);
    worst = std::max(worst, c);
  }
  return worst + kComputeLatency;
}

/// Whether the tile is computed by index-decoding sparse PEs.
bool sparseDecode(const Arch &a, Format f) {
  return a.sparsePEs && f.kind != FormatKind::Dense;
}

/// Deals the tile's work to the PEs. `rowWork(k)` is the MACs one stored
/// value in column k costs (B, or the number of nonzero activations).
template <typename RowWork>
bool tileWork(
    const Arch &a, Format f, const uint8_t *tile, uint64_t bytes, uint32_t M,
    uint32_t K, RowWork rowWork, TileWork &out, std::string &error,
    const std::function<void(uint32_t, uint32_t, float)> &also = nullptr) {
  uint32_t P = a.numPEs();
  out.macs.assign(P, 0);
  out.decodes.assign(P, 0);
  uint32_t group = f.kind == FormatKind::Block ? f.a : 1;
  bool dense = !sparseDecode(a, f);
  bool ok = forEachTileValue(
      f, tile, bytes, M, K,
      [&](uint32_t m, uint32_t k, float v) {
        if (also)
          also(m, k, v); // the simulator's arithmetic, in the same pass
        ++out.storedValues;
        if (dense)
          return;
        uint32_t pe = (m / group) % P;
        out.macs[pe] += rowWork(k);
        // One index per stored value; one per block for block<r,c>.
        if (f.kind != FormatKind::Block || (m % f.a == 0 && k % f.b == 0))
          ++out.decodes[pe];
      },
      error);
  if (ok && dense) {
    // Every MAC of the dense tile, rows dealt round-robin.
    uint64_t perRow = 0;
    for (uint32_t k = 0; k < K; ++k)
      perRow += rowWork(k);
    for (uint32_t m = 0; m < M; ++m)
      out.macs[m % P] += perRow;
  }
  return ok;
}

/// A byte range of an on-chip buffer and the times of its last write and
/// last read, for dependence tracking.
struct Span {
  uint64_t lo, hi, written, read;
};

struct Machine {
  const Launch &l;
  void *const *regions;
  Stats &stats;
  std::string &error;
  std::vector<uint8_t> buf[3]; // weight, activation, output
  std::vector<Span> spans[3];
  uint64_t dmaFree = 0, computeFree = 0;
  /// >= 0: the analytical model's run (estimateLaunch): compute cycles come
  /// from estimateComputeCycles at this activation density, and regions
  /// other than the weight image may be null.
  double estimateDensity = -1;

  enum Buf { W = 0, A = 1, O = 2 };

  Machine(const Launch &l, void *const *regions, Stats &stats,
          std::string &error)
      : l(l), regions(regions), stats(stats), error(error) {
    buf[W].assign(uint64_t(l.arch.weightKiB) << 10, 0);
    buf[A].assign(uint64_t(l.arch.actKiB) << 10, 0);
    buf[O].assign(uint64_t(l.arch.outKiB) << 10, 0);
  }

  struct Access {
    Buf b;
    uint64_t lo, hi;
    bool write;
  };

  /// Schedules a command of `cycles` on an engine after its dependences;
  /// returns its end time.
  uint64_t schedule(uint64_t &engineFree, uint64_t cycles,
                    std::initializer_list<Access> accesses, unsigned op) {
    uint64_t start = engineFree;
    for (const Access &x : accesses)
      for (const Span &s : spans[x.b])
        if (s.lo < x.hi && x.lo < s.hi)
          start = std::max(start,
                           x.write ? std::max(s.written, s.read) : s.written);
    uint64_t end = start + cycles;
    engineFree = end;
    for (const Access &x : accesses) {
      auto &v = spans[x.b];
      if (x.write) {
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const Span &s) {
                                 return x.lo <= s.lo && s.hi <= x.hi;
                               }),
                v.end());
        v.push_back({x.lo, x.hi, end, 0});
      } else {
        for (Span &s : v)
          if (s.lo < x.hi && x.lo < s.hi)
            s.read = std::max(s.read, end);
      }
      // Spans every engine has passed constrain nothing.
      uint64_t horizon = std::min(dmaFree, computeFree);
      v.erase(std::remove_if(v.begin(), v.end(),
                             [&](const Span &s) {
                               return std::max(s.written, s.read) <= horizon;
                             }),
              v.end());
    }
    stats.cyclesPerOpcode[op] += cycles;
    return end;
  }

  void dram(uint64_t readBytes, uint64_t writeBytes) {
    stats.dramReadBytes += readBytes;
    stats.dramWriteBytes += writeBytes;
    stats.energyDramPJ += (readBytes + writeBytes) * l.arch.dramPJPerByte;
  }
  void sram(uint64_t readBytes, uint64_t writeBytes) {
    stats.sramReadBytes += readBytes;
    stats.sramWriteBytes += writeBytes;
    stats.energySramPJ += readBytes * l.arch.sramReadPJPerByte +
                          writeBytes * l.arch.sramWritePJPerByte;
  }

  bool run(const Command &c) {
    const Arch &a = l.arch;
    unsigned op = unsigned(c.opcode());
    ++stats.countPerOpcode[op < kNumOpcodes ? op : 0];
    switch (c.opcode()) {
    case Opcode::DmaWeight: {
      uint64_t bytes = c.w[3];
      if (regions[c.w[1]])
        memcpy(buf[W].data() + c.w[4],
               static_cast<uint8_t *>(regions[c.w[1]]) + c.w[2], bytes);
      uint64_t t = dmaCycles(a, bytes);
      stats.dmaBusyCycles += t;
      schedule(dmaFree, t, {{W, c.w[4], c.w[4] + bytes, true}}, op);
      dram(bytes, 0);
      sram(0, bytes);
      return true;
    }
    case Opcode::DmaAct:
    case Opcode::DmaStore: {
      Command::Transfer x = c.transfer();
      bool load = x.load;
      uint64_t rows = x.rows, cols = x.cols, stride = x.stride,
               boff = x.bufOffset;
      uint8_t *chip = buf[load ? A : O].data() + boff;
      // No data to move for an empty tile, or in the model's run (null
      // regions other than the image).
      for (uint64_t r = 0; regions[x.region] && cols && r < rows; ++r) {
        uint8_t *dramBase =
            static_cast<uint8_t *>(regions[x.region]) + x.dramOffset;
        if (load)
          memcpy(chip + r * cols * 4, dramBase + r * stride, cols * 4);
        else if (!x.transposed)
          memcpy(dramBase + r * stride, chip + r * cols * 4, cols * 4);
        else
          for (uint64_t k = 0; k < cols; ++k)
            memcpy(dramBase + k * stride + r * 4, chip + (r * cols + k) * 4, 4);
      }
      uint64_t bytes = rows * cols * 4;
      uint64_t t = dmaCycles(a, bytes);
      stats.dmaBusyCycles += t;
      schedule(dmaFree, t, {{load ? A : O, boff, boff + bytes, load}}, op);
      dram(load ? bytes : 0, load ? 0 : bytes);
      sram(load ? 0 : bytes, load ? bytes : 0);
      return true;
    }
    case Opcode::DmaPatches: {
      ConvGeometry g = ConvGeometry::fromWords(c.w[3], c.w[4]);
      uint64_t p0 = c.w[5] & 0xffffffff, rows = c.w[5] >> 32;
      uint64_t k0 = c.w[6] & 0xffffffff, cols = c.w[6] >> 32;
      float *chip = reinterpret_cast<float *>(buf[A].data() + c.w[7]);
      const uint8_t *image =
          regions[c.w[1]] ? static_cast<uint8_t *>(regions[c.w[1]]) + c.w[2]
                          : nullptr;
      for (uint64_t r = 0; image && r < rows; ++r) {
        int64_t oh = (p0 + r) / g.OW, ow = (p0 + r) % g.OW;
        for (uint64_t k = 0; k < cols; ++k) {
          uint64_t e = k0 + k;
          int64_t ch = e / (g.KH * g.KW), kh = (e / g.KW) % g.KH, kw = e % g.KW;
          int64_t ih = oh * g.strideH - int64_t(g.padTop) + kh * g.dilationH;
          int64_t iw = ow * g.strideW - int64_t(g.padLeft) + kw * g.dilationW;
          float v = 0.0f;
          if (ih >= 0 && ih < int64_t(g.H) && iw >= 0 && iw < int64_t(g.W))
            memcpy(&v, image + ((ch * g.H + ih) * g.W + iw) * 4, 4);
          chip[r * cols + k] = v;
        }
      }
      // An address generator streams the window elements: the bytes the
      // tile holds cross the DRAM interface.
      uint64_t bytes = rows * cols * 4;
      uint64_t t = dmaCycles(a, bytes);
      stats.dmaBusyCycles += t;
      schedule(dmaFree, t, {{A, c.w[7], c.w[7] + bytes, true}}, op);
      dram(bytes, 0);
      sram(0, bytes);
      return true;
    }
    case Opcode::Compute: {
      Format f = c.format();
      uint64_t woff = c.w[1], wbytes = c.w[2], aoff = c.w[3], ooff = c.w[4];
      uint32_t M = c.w[5], K = c.w[6], B = c.w[7];
      bool accumulate = c.flags() & kFlagAccumulate;
      std::initializer_list<Access> accesses = {
          {W, woff, woff + wbytes, false},
          {A, aoff, aoff + uint64_t(B) * K * 4, false},
          {O, ooff, ooff + uint64_t(B) * M * 4, true}};
      if (estimateDensity >= 0) {
        uint64_t t = estimateComputeCycles(a, f, buf[W].data() + woff, wbytes,
                                           M, K, B, estimateDensity);
        if (t == ~0ull) {
          error = "invalid " + f.str() + " weight tile";
          return false;
        }
        stats.computeBusyCycles += t;
        schedule(computeFree, t, accesses, op);
        return true;
      }
      float *act = reinterpret_cast<float *>(buf[A].data() + aoff);
      float *out = reinterpret_cast<float *>(buf[O].data() + ooff);
      // Zero activations per column, for zero skipping.
      std::vector<uint32_t> nonzero(K, 0);
      for (uint32_t b = 0; b < B; ++b)
        for (uint32_t k = 0; k < K; ++k)
          nonzero[k] += act[uint64_t(b) * K + k] != 0.0f;
      if (!accumulate)
        std::fill(out, out + uint64_t(B) * M, 0.0f);
      bool skip = a.skipZeroActivations;
      uint64_t useful = 0;
      // One decoding pass: the products, and each PE's work.
      TileWork work;
      if (!tileWork(
              a, f, buf[W].data() + woff, wbytes, M, K,
              [&](uint32_t k) -> uint64_t { return skip ? nonzero[k] : B; },
              work, error,
              [&](uint32_t m, uint32_t k, float v) {
                if (v != 0.0f)
                  useful += nonzero[k];
                for (uint32_t b = 0; b < B; ++b) {
                  float x = act[uint64_t(b) * K + k];
                  if (!skip || x != 0.0f)
                    out[uint64_t(b) * M + m] += x * v;
                }
              }))
        return false;
      uint64_t t = cyclesOf(a, work, sparseDecode(a, f));
      stats.computeBusyCycles += t;
      schedule(computeFree, t, accesses, op);
      uint64_t macs = 0, decodes = 0;
      for (uint64_t x : work.macs)
        macs += x;
      for (uint64_t x : work.decodes)
        decodes += x;
      // A decompression unit decodes every stored value of a sparse tile.
      if (!sparseDecode(a, f) && f.kind != FormatKind::Dense)
        decodes = work.storedValues;
      stats.macs += macs;
      stats.usefulMacs += useful;
      stats.indexDecodes += decodes;
      stats.energyMacPJ += macs * a.macPJ;
      stats.energyDecodePJ += decodes * a.decodePJ;
      uint64_t outBytes = uint64_t(B) * M * 4;
      sram(wbytes + uint64_t(B) * K * 4 + (accumulate ? outBytes : 0),
           outBytes);
      return true;
    }
    case Opcode::Epilogue: {
      uint64_t ooff = c.w[1], B = c.w[2], M = c.w[3], bias = c.w[4];
      bool relu = c.flags() & kFlagRelu;
      float *out = reinterpret_cast<float *>(buf[O].data() + ooff);
      const float *b = bias == kNoBias
                           ? nullptr
                           : reinterpret_cast<float *>(buf[W].data() + bias);
      for (uint64_t i = 0; i < B; ++i)
        for (uint64_t m = 0; m < M; ++m) {
          float &y = out[i * M + m];
          if (b)
            y += b[m];
          if (relu && y < 0.0f)
            y = 0.0f;
        }
      uint64_t t = epilogueCycles(a, B, M);
      stats.computeBusyCycles += t;
      uint64_t bytes = B * M * 4;
      if (b)
        schedule(
            computeFree, t,
            {{W, bias, bias + M * 4, false}, {O, ooff, ooff + bytes, true}},
            op);
      else
        schedule(computeFree, t, {{O, ooff, ooff + bytes, true}}, op);
      sram(bytes + (b ? M * 4 : 0), bytes);
      return true;
    }
    case Opcode::Barrier:
      dmaFree = computeFree = std::max(dmaFree, computeFree);
      return true;
    }
    error = "unknown opcode";
    return false;
  }
};

} // namespace

uint64_t dmaCycles(const Arch &arch, uint64_t bytes) {
  return arch.dramLatency + ceilDiv(bytes, arch.dramBytesPerCycle);
}

uint64_t epilogueCycles(const Arch &arch, uint32_t B, uint32_t M) {
  return ceilDiv(uint64_t(B) * M, arch.peCols) + kComputeLatency;
}

uint64_t estimateComputeCycles(const Arch &arch, Format fmt,
                               const uint8_t *tile, uint64_t bytes, uint32_t M,
                               uint32_t K, uint32_t B, double actDensity) {
  double perValue = arch.skipZeroActivations ? B * actDensity : B;
  // Work in units of 1/1024 MAC so the expected density stays exact enough.
  uint64_t scaled = static_cast<uint64_t>(std::llround(perValue * 1024));
  TileWork work;
  std::string error;
  if (!tileWork(
          arch, fmt, tile, bytes, M, K, [&](uint32_t) { return scaled; }, work,
          error))
    return ~0ull;
  for (uint64_t &m : work.macs)
    m = ceilDiv(m, 1024);
  return cyclesOf(arch, work, sparseDecode(arch, fmt));
}

bool simulate(const Launch &launch, void *const *regions,
              const uint64_t *regionBytes, uint32_t numRegions, Stats &stats,
              std::string &error) {
  if (numRegions != launch.regionBytes.size()) {
    error = "the launch addresses " +
            std::to_string(launch.regionBytes.size()) + " regions, " +
            std::to_string(numRegions) + " given";
    return false;
  }
  for (uint32_t i = 0; i < numRegions; ++i)
    if (regionBytes[i] != launch.regionBytes[i] ||
        (!regions[i] && regionBytes[i])) {
      error = "region " + std::to_string(i) + " is " +
              std::to_string(regionBytes[i]) + " bytes, the launch expects " +
              std::to_string(launch.regionBytes[i]);
      return false;
    }
  Stats local;
  Machine machine(launch, regions, local, error);
  for (size_t i = 0; i < launch.commands.size(); ++i)
    if (!machine.run(launch.commands[i])) {
      error = "command #" + std::to_string(i) + " (" +
              opcodeName(unsigned(launch.commands[i].opcode())) + "): " + error;
      return false;
    }
  local.launches = 1;
  local.commands = launch.commands.size();
  local.cycles = std::max(machine.dmaFree, machine.computeFree);
  local.launchCycles = {local.cycles};
  local.numPEs = launch.arch.numPEs();
  local.macsPerPE = launch.arch.macsPerPE;
  local.freqMHz = launch.arch.freqMHz;
  local.areaMM2 = launch.arch.areaMM2();
  stats.add(local);
  return true;
}

bool allocateProgram(Program &program, ProgramMemory &memory,
                     std::string &error) {
  memory.owned.assign(program.buffers.size(), {});
  memory.base.assign(program.buffers.size(), nullptr);
  for (size_t id = 0; id < program.buffers.size(); ++id) {
    const ProgramBuffer &b = program.buffers[id];
    if (b.kind == BufferKind::Weights) {
      memory.base[id] = program.image.data() + b.imageOffset;
      continue;
    }
    try {
      memory.owned[id].assign(b.bytes, 0);
    } catch (const std::bad_alloc &) {
      error = "out of memory allocating buffer " + std::to_string(id) + " (" +
              std::to_string(b.bytes) + " bytes)";
      return false;
    }
    memory.base[id] = memory.owned[id].data();
  }
  return true;
}

bool simulateProgram(const Program &program, ProgramMemory &memory,
                     Stats &stats, std::string &error) {
  for (size_t i = 0; i < program.launches.size(); ++i) {
    std::vector<void *> regions;
    std::vector<uint64_t> sizes;
    for (uint32_t id : program.launchBuffers[i]) {
      regions.push_back(memory.base[id]);
      sizes.push_back(program.buffers[id].bytes);
    }
    if (!simulate(program.launches[i], regions.data(), sizes.data(),
                  regions.size(), stats, error)) {
      error = "launch #" + std::to_string(i) + ": " + error;
      return false;
    }
  }
  return true;
}

bool estimateLaunch(const Launch &launch, void *const *regions,
                    double actDensity, uint64_t &cycles, std::string &error) {
  Stats stats;
  Machine machine(launch, regions, stats, error);
  machine.estimateDensity = actDensity;
  for (size_t i = 0; i < launch.commands.size(); ++i)
    if (!machine.run(launch.commands[i])) {
      error = "command #" + std::to_string(i) + ": " + error;
      return false;
    }
  cycles = std::max(machine.dmaFree, machine.computeFree);
  return true;
}

double Stats::peUtilization() const {
  double slots = double(computeBusyCycles) * numPEs * macsPerPE;
  return slots > 0 ? macs / slots : 0;
}

void Stats::add(const Stats &o) {
  launches += o.launches, commands += o.commands, cycles += o.cycles;
  dmaBusyCycles += o.dmaBusyCycles, computeBusyCycles += o.computeBusyCycles;
  for (size_t i = 0; i < cyclesPerOpcode.size(); ++i) {
    cyclesPerOpcode[i] += o.cyclesPerOpcode[i];
    countPerOpcode[i] += o.countPerOpcode[i];
  }
  dramReadBytes += o.dramReadBytes, dramWriteBytes += o.dramWriteBytes;
  sramReadBytes += o.sramReadBytes, sramWriteBytes += o.sramWriteBytes;
  launchCycles.insert(launchCycles.end(), o.launchCycles.begin(),
                      o.launchCycles.end());
  macs += o.macs, usefulMacs += o.usefulMacs, indexDecodes += o.indexDecodes;
  energyMacPJ += o.energyMacPJ, energySramPJ += o.energySramPJ;
  energyDramPJ += o.energyDramPJ, energyDecodePJ += o.energyDecodePJ;
  // The arch of the last launch describes the machine (one arch per run).
  if (o.numPEs) {
    numPEs = o.numPEs, macsPerPE = o.macsPerPE, freqMHz = o.freqMHz;
    areaMM2 = o.areaMM2;
  }
}

std::string Stats::json() const {
  std::ostringstream os;
  os.precision(6);
  os << "{\"launches\": " << launches << ", \"commands\": " << commands
     << ", \"cycles\": " << cycles << ", \"launch_cycles\": [";
  for (size_t i = 0; i < launchCycles.size(); ++i)
    os << (i ? ", " : "") << launchCycles[i];
  os << "], \"time_us\": " << microseconds()
     << ", \"dma_busy_cycles\": " << dmaBusyCycles
     << ", \"compute_busy_cycles\": " << computeBusyCycles << ", \"ops\": {";
  for (unsigned i = 1; i < kNumOpcodes; ++i)
    os << (i > 1 ? ", " : "") << "\"" << opcodeName(i)
       << "\": {\"count\": " << countPerOpcode[i]
       << ", \"cycles\": " << cyclesPerOpcode[i] << "}";
  os << "}, \"dram_read_bytes\": " << dramReadBytes
     << ", \"dram_write_bytes\": " << dramWriteBytes
     << ", \"sram_read_bytes\": " << sramReadBytes
     << ", \"sram_write_bytes\": " << sramWriteBytes << ", \"macs\": " << macs
     << ", \"useful_macs\": " << usefulMacs
     << ", \"index_decodes\": " << indexDecodes
     << ", \"pe_utilization\": " << peUtilization()
     << ", \"energy_pj\": {\"mac\": " << energyMacPJ
     << ", \"sram\": " << energySramPJ << ", \"dram\": " << energyDramPJ
     << ", \"decode\": " << energyDecodePJ << ", \"total\": " << energyPJ()
     << "}, \"pes\": " << numPEs << ", \"area_mm2\": " << areaMM2 << "}";
  return os.str();
}

std::string Stats::text() const {
  std::ostringstream os;
  char line[160];
  snprintf(line, sizeof(line),
           "accelerator: %u PEs x %u MACs, %.3f mm^2, %u MHz\n", numPEs,
           macsPerPE, areaMM2, freqMHz);
  os << line;
  snprintf(line, sizeof(line),
           "  %llu launches, %llu commands, %llu cycles (%.3f us)\n",
           (unsigned long long)launches, (unsigned long long)commands,
           (unsigned long long)cycles, microseconds());
  os << line << "  op            count   busy cycles\n";
  for (unsigned i = 1; i < kNumOpcodes; ++i) {
    snprintf(line, sizeof(line), "  %-12s %6llu  %12llu\n", opcodeName(i),
             (unsigned long long)countPerOpcode[i],
             (unsigned long long)cyclesPerOpcode[i]);
    os << line;
  }
  snprintf(
      line, sizeof(line),
      "  DRAM: %llu bytes read, %llu written; SRAM: %llu read, %llu "
      "written\n",
      (unsigned long long)dramReadBytes, (unsigned long long)dramWriteBytes,
      (unsigned long long)sramReadBytes, (unsigned long long)sramWriteBytes);
  os << line;
  snprintf(line, sizeof(line),
           "  MACs: %llu performed, %llu useful; %llu index decodes; PE "
           "utilisation %.1f%%\n",
           (unsigned long long)macs, (unsigned long long)usefulMacs,
           (unsigned long long)indexDecodes, 100 * peUtilization());
  os << line;
  snprintf(line, sizeof(line),
           "  energy: %.3f uJ (MAC %.3f, SRAM %.3f, DRAM %.3f, decode %.3f)\n",
           energyPJ() * 1e-6, energyMacPJ * 1e-6, energySramPJ * 1e-6,
           energyDramPJ * 1e-6, energyDecodePJ * 1e-6);
  os << line;
  return os.str();
}

} // namespace sparsenn::accel

//===----------------------------------------------------------------------===//
// C ABI: what compiled code calls (convert-sacc-to-runtime)
//===----------------------------------------------------------------------===//

namespace {
sparsenn::accel::Stats gStats;
std::string gError, gText;
} // namespace

extern "C" int sacc_launch(const uint8_t *record, uint64_t size,
                           void *const *regions, const uint64_t *region_bytes,
                           uint32_t num_regions) {
  using namespace sparsenn::accel;
  if (!gError.empty())
    return -1;
  Launch launch;
  uint64_t consumed = 0;
  std::string error;
  if (!decodeLaunch(record, size, launch, consumed, error) ||
      !simulate(launch, regions, region_bytes, num_regions, gStats, error)) {
    gError = error.empty() ? "launch failed" : error;
    return -1;
  }
  return 0;
}

extern "C" const char *sacc_last_error(void) { return gError.c_str(); }

extern "C" void sacc_reset(void) {
  gStats = sparsenn::accel::Stats();
  gError.clear();
}

extern "C" const char *sacc_stats_json(void) {
  gText = gStats.json();
  return gText.c_str();
}

extern "C" const char *sacc_stats_text(void) {
  gText = gStats.text();
  return gText.c_str();
}
