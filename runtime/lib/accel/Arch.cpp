//===- Arch.cpp - Accelerator parameters, presets and area ----------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"

namespace sparsenn::accel {

bool Arch::supports(Format f) const {
  for (uint32_t i = 0; i < numFormats && i < kMaxFormats; ++i)
    if (formats[i] == f)
      return true;
  return false;
}

bool Arch::decodesSparse() const {
  for (uint32_t i = 0; i < numFormats && i < kMaxFormats; ++i)
    if (formats[i].kind != FormatKind::Dense)
      return true;
  return false;
}

double Arch::areaMM2() const {
  double pe = peAreaMM2 * macsPerPE;
  if (sparsePEs && decodesSparse())
    pe += sparsePEExtraMM2;
  double area =
      numPEs() * pe + sramAreaMM2PerKiB * (double(weightKiB) + actKiB + outKiB);
  if (!sparsePEs && decodesSparse())
    area += decompressorAreaMM2;
  return area;
}

std::string Arch::validate() const {
  auto positive = [](const char *name, uint64_t v, uint64_t max) {
    if (v == 0 || v > max)
      return std::string(name) + " must be in [1, " + std::to_string(max) +
             "], got " + std::to_string(v);
    return std::string();
  };
  for (auto [name, v, max] :
       {std::tuple<const char *, uint64_t, uint64_t>{"pe_rows", peRows, 1024},
        {"pe_cols", peCols, 1024},
        {"macs_per_pe", macsPerPE, 1024},
        {"weight_kib", weightKiB, 1u << 20},
        {"act_kib", actKiB, 1u << 20},
        {"out_kib", outKiB, 1u << 20},
        {"dram_bytes_per_cycle", dramBytesPerCycle, 1u << 16},
        {"freq_mhz", freqMHz, 100000},
        {"formats", numFormats, kMaxFormats}})
    if (std::string e = positive(name, v, max); !e.empty())
      return e;
  if (dramLatency > 1000000)
    return "dram_latency must be at most 1000000 cycles";
  for (uint32_t i = 0; i < numFormats; ++i)
    if (!formats[i].valid())
      return "invalid format " + formats[i].str();
  for (double v :
       {macPJ, sramReadPJPerByte, sramWritePJPerByte, dramPJPerByte, decodePJ,
        peAreaMM2, sparsePEExtraMM2, sramAreaMM2PerKiB, decompressorAreaMM2})
    if (!(v >= 0) || v > 1e9)
      return "energy and area figures must be in [0, 1e9]";
  return "";
}

bool Arch::operator==(const Arch &o) const {
  if (numFormats != o.numFormats)
    return false;
  for (uint32_t i = 0; i < numFormats && i < kMaxFormats; ++i)
    if (formats[i] != o.formats[i])
      return false;
  return peRows == o.peRows && peCols == o.peCols && macsPerPE == o.macsPerPE &&
         weightKiB == o.weightKiB && actKiB == o.actKiB && outKiB == o.outKiB &&
         dramBytesPerCycle == o.dramBytesPerCycle &&
         dramLatency == o.dramLatency && freqMHz == o.freqMHz &&
         skipZeroActivations == o.skipZeroActivations &&
         sparsePEs == o.sparsePEs && macPJ == o.macPJ &&
         sramReadPJPerByte == o.sramReadPJPerByte &&
         sramWritePJPerByte == o.sramWritePJPerByte &&
         dramPJPerByte == o.dramPJPerByte && decodePJ == o.decodePJ &&
         peAreaMM2 == o.peAreaMM2 && sparsePEExtraMM2 == o.sparsePEExtraMM2 &&
         sramAreaMM2PerKiB == o.sramAreaMM2PerKiB &&
         decompressorAreaMM2 == o.decompressorAreaMM2;
}

namespace {
void setFormats(Arch &a, std::initializer_list<Format> fs) {
  a.numFormats = 0;
  for (Format f : fs)
    a.formats[a.numFormats++] = f;
}
constexpr Format kDense{FormatKind::Dense}, kCSR{FormatKind::CSR},
    kBitmap{FormatKind::Bitmap};
} // namespace

// Presets: the shapes of published designs, scaled to f32 MACs. They are
// plausible reference points, not models of the chips' exact numbers.
bool getPreset(std::string_view name, Arch &a) {
  a = Arch();
  if (name == "eie") {
    // EIE (Han et al., ISCA 2016): 64 PEs, a large weight SRAM (EIE keeps
    // the compressed model on chip), zero activations skipped.
    a.peRows = 4, a.peCols = 16, a.macsPerPE = 1;
    a.weightKiB = 8192, a.actKiB = 64, a.outKiB = 64;
    a.dramBytesPerCycle = 16, a.freqMHz = 800;
    setFormats(a, {kCSR});
    a.skipZeroActivations = true;
  } else if (name == "scnn") {
    // SCNN (Parashar et al., ISCA 2017): 8x8 PEs of 4x4 multipliers,
    // compressed weights and activations.
    a.peRows = 8, a.peCols = 8, a.macsPerPE = 16;
    a.weightKiB = 512, a.actKiB = 256, a.outKiB = 256;
    a.dramBytesPerCycle = 32;
    setFormats(a, {kDense, kCSR});
    a.skipZeroActivations = true;
  } else if (name == "cambricon-x") {
    // Cambricon-X (Zhang et al., MICRO 2016): 16 PEs of 16 MACs behind an
    // indexing module; zero activations are computed.
    a.peRows = 4, a.peCols = 4, a.macsPerPE = 16;
    a.weightKiB = 128, a.actKiB = 64, a.outKiB = 64;
    setFormats(a, {kDense, kCSR, kBitmap});
  } else if (name == "tc-2:4") {
    // A sparse-tensor-core-like array: dense or 2:4 weights.
    a.peRows = 16, a.peCols = 16, a.macsPerPE = 4;
    a.weightKiB = 256, a.actKiB = 128, a.outKiB = 128;
    a.dramBytesPerCycle = 64, a.freqMHz = 1400;
    setFormats(a, {kDense, Format{FormatKind::NM, 2, 4}});
  } else if (name == "dense") {
    // A plain dense array (the baseline of the sweeps).
    a.sparsePEs = false;
    setFormats(a, {kDense});
  } else if (name == "dense-decompress") {
    // Dense PEs fed by a decompression unit: compressed DRAM traffic, dense
    // compute.
    a.sparsePEs = false;
    setFormats(a, {kDense, kCSR, kBitmap, Format{FormatKind::Block, 4, 4}});
  } else {
    return false;
  }
  return true;
}

std::vector<std::string> presetNames() {
  return {"eie", "scnn", "cambricon-x", "tc-2:4", "dense", "dense-decompress"};
}

} // namespace sparsenn::accel
