//===- Accel.h - SparseNN runtime: the sparse accelerator -------*- C++ -*-===//
//
// Part of SparseNN. No MLIR/LLVM dependency. One definition, shared by the
// compiler (convert-snn-to-sacc packs weight tiles and encodes commands with
// it) and the simulator (which decodes and runs them), of:
//   - Arch: the parameters of one accelerator of the family (#sacc.arch);
//   - the weight tile formats the hardware decodes and their byte layout;
//   - the binary command stream (docs/AccelCommands.md);
//   - the cycle-counting functional simulator and the analytical model.
// Every decoder validates its input completely: a malformed stream is an
// error with a one-line message, never an access outside the memories.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_RUNTIME_ACCEL_H
#define SPARSENN_RUNTIME_ACCEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sparsenn::accel {

//===----------------------------------------------------------------------===//
// Weight formats
//===----------------------------------------------------------------------===//

enum class FormatKind : uint8_t {
  Dense = 0,  // rows*cols f32, row-major
  CSR = 1,    // u32 rowptr[rows+1], u16 col[nnz], pad to 4, f32 val[nnz]
  Bitmap = 2, // u8 mask[ceil(rows*cols/8)] (bit i of byte i/8, row-major),
              // pad to 4, f32 val[popcount] in row-major order
  NM = 3,     // n of every m along a row: f32 val[rows*cols/m*n], then
              // u8 idx[same] (position in its group, < m)
  Block = 4,  // BSR r x c: u32 bptr[rows/r+1], u16 bcol[nblocks], pad to 4,
              // f32 val[nblocks*r*c] (each block row-major)
};

/// A format and its two parameters: nm<n,m> and block<r,c>; 0 otherwise.
struct Format {
  FormatKind kind = FormatKind::Dense;
  uint8_t a = 0, b = 0;

  bool operator==(const Format &o) const {
    return kind == o.kind && a == o.a && b == o.b;
  }
  bool operator!=(const Format &o) const { return !(*this == o); }
  /// "dense", "csr", "bitmap", "nm<2,4>", "block<4,4>".
  std::string str() const;
  /// Whether the parameters are valid (0 < n < m <= 16, 1 <= r, c <= 64).
  bool valid() const;
};

/// Parses Format::str()'s spelling. Returns false on anything else.
bool parseFormat(std::string_view text, Format &out);

/// Packs the tile W[0:rows, 0:cols] of a row-major matrix with leading
/// dimension `ld` into `fmt`'s layout (appended to `out`). Fails with a
/// reason when the tile does not fit the format (an N:M group with more than
/// n nonzeros, dimensions not divisible by the group or block size).
bool packTile(Format fmt, const float *w, int64_t ld, uint32_t rows,
              uint32_t cols, std::vector<uint8_t> &out, std::string &error);

/// Validates a packed tile of `bytes` bytes and calls visit(row, col, value)
/// for each value it stores (zeros included: padding of N:M groups and
/// blocks, all of a dense tile).
bool forEachTileValue(
    Format fmt, const uint8_t *data, uint64_t bytes, uint32_t rows,
    uint32_t cols, const std::function<void(uint32_t, uint32_t, float)> &visit,
    std::string &error);

//===----------------------------------------------------------------------===//
// The architecture
//===----------------------------------------------------------------------===//

constexpr unsigned kMaxFormats = 8;

/// The parameters of one accelerator. All sizes are per array, not per PE.
struct Arch {
  uint32_t peRows = 16, peCols = 16; // PE array
  uint32_t macsPerPE = 1;            // f32 MACs per PE per cycle
  uint32_t weightKiB = 128, actKiB = 64, outKiB = 64; // on-chip buffers
  uint32_t dramBytesPerCycle = 32;                    // DRAM bandwidth
  uint32_t dramLatency = 100; // cycles before a DMA's first byte
  uint32_t freqMHz = 1000;
  uint32_t numFormats = 1;
  std::array<Format, kMaxFormats> formats{}; // decoded weight formats
  /// PEs skip MACs whose activation is zero (EIE, SCNN).
  bool skipZeroActivations = false;
  /// PEs skip zero weights using the format's indices. false: a decompression
  /// unit expands every sparse tile to dense in front of dense PEs (DRAM
  /// traffic stays compressed; every MAC of the dense tile is performed).
  bool sparsePEs = true;
  // Energy per action, pJ (45 nm-style figures; Horowitz, ISSCC 2014).
  double macPJ = 3.7, sramReadPJPerByte = 1.25, sramWritePJPerByte = 1.5,
         dramPJPerByte = 160.0, decodePJ = 0.5;
  // Area, mm^2.
  double peAreaMM2 = 0.010, sparsePEExtraMM2 = 0.006, sramAreaMM2PerKiB = 0.005,
         decompressorAreaMM2 = 0.05;

  uint32_t numPEs() const { return peRows * peCols; }
  bool supports(Format f) const;
  /// Whether any supported format is sparse.
  bool decodesSparse() const;
  /// PEs (with the index logic when sparsePEs and a sparse format exists),
  /// buffers, and the decompressor when !sparsePEs.
  double areaMM2() const;
  /// A one-line description of the first invalid parameter, or "".
  std::string validate() const;
  bool operator==(const Arch &o) const;
};

/// Named presets modelled on published designs: "eie", "scnn", "cambricon-x",
/// "tc-2:4", "dense", "dense-decompress". Returns false for an unknown name.
bool getPreset(std::string_view name, Arch &out);
std::vector<std::string> presetNames();

//===----------------------------------------------------------------------===//
// The command stream (docs/AccelCommands.md)
//===----------------------------------------------------------------------===//

constexpr uint32_t kLaunchMagic = 0x4c434153;  // "SACL"
constexpr uint32_t kProgramMagic = 0x43434153; // "SACC"
constexpr uint32_t kStreamVersion = 1;

enum class Opcode : uint8_t {
  DmaWeight = 1,  // region, dram offset, bytes -> weight buffer offset
  DmaAct = 2,     // f32 rows x cols, strided, region -> activation buffer
  Compute = 3,    // out tile (+)= act tile x weight tile^T
  Epilogue = 4,   // out tile += bias (weight buffer), then activation
  DmaStore = 5,   // f32 rows x cols from the output buffer -> region, strided
  Barrier = 6,    // waits for every engine
  DmaPatches = 7, // im2col tile of an NCHW image -> activation buffer
};

constexpr unsigned kNumOpcodes = 8;

/// The window geometry of a convolution, for DmaPatches: an image of C x H x
/// W f32 (one batch element, NCHW), KH x KW windows with strides, dilations
/// and top/left padding (bottom/right padding only limits the output), OW
/// output columns.
struct ConvGeometry {
  uint32_t C = 1, H = 1, W = 1, KH = 1, KW = 1;
  uint32_t strideH = 1, strideW = 1, padTop = 0, padLeft = 0;
  uint32_t dilationH = 1, dilationW = 1, OW = 1;
  /// The two command words (C, H, W < 2^16, KH, KW, strides, dilations,
  /// pads < 2^8, OW < 2^16).
  uint64_t word3() const;
  uint64_t word4() const;
  static ConvGeometry fromWords(uint64_t w3, uint64_t w4);
  /// Whether the fields fit their words and are positive where they must be.
  bool valid() const;
};

/// One command: 8 little-endian 64-bit words. word0 = opcode | format kind
/// << 8 | format a << 16 | format b << 24 | flags << 32; words 1-7 are the
/// operands (see `Command::*` accessors and docs/AccelCommands.md).
struct Command {
  std::array<uint64_t, 8> w{};

  Opcode opcode() const { return static_cast<Opcode>(w[0] & 0xff); }
  Format format() const {
    return Format{static_cast<FormatKind>((w[0] >> 8) & 0xff),
                  static_cast<uint8_t>(w[0] >> 16),
                  static_cast<uint8_t>(w[0] >> 24)};
  }
  uint32_t flags() const { return static_cast<uint32_t>(w[0] >> 32); }

  /// The operands of a dma_act (load) or dma_store: the DRAM region, offset
  /// and stride, the tile's rows and columns, its on-chip buffer offset.
  struct Transfer {
    bool load, transposed;
    uint64_t region, dramOffset, stride, rows, cols, bufOffset;
  };
  Transfer transfer() const;

  static Command dmaWeight(uint32_t region, uint64_t dramOffset, uint64_t bytes,
                           uint64_t wbufOffset);
  static Command dmaAct(uint32_t region, uint64_t dramOffset,
                        uint64_t rowStrideBytes, uint32_t rows, uint32_t cols,
                        uint64_t abufOffset);
  /// out[b*M+m] (+)= sum_k act[b*K+k] * W[m,k]; kFlagAccumulate adds to the
  /// output tile, otherwise it is overwritten.
  static Command compute(Format fmt, uint64_t wbufOffset, uint64_t wbytes,
                         uint64_t abufOffset, uint64_t obufOffset, uint32_t M,
                         uint32_t K, uint32_t B, bool accumulate);
  /// out[b*M+m] += bias[m] (when biasOffset != kNoBias), then ReLU when
  /// kFlagRelu.
  static Command epilogue(uint64_t obufOffset, uint32_t B, uint32_t M,
                          uint64_t biasOffset, bool relu);
  static Command dmaStore(uint64_t obufOffset, uint32_t region,
                          uint64_t dramOffset, uint64_t rowStrideBytes,
                          uint32_t rows, uint32_t cols);
  static Command barrier();
  /// Rows [p0, p0 + rows) of the im2col matrix of the image at `dramOffset`
  /// (output pixels, row-major over OH x OW), columns [k0, k0 + cols) (the
  /// (c, kh, kw) window elements): element (r, k) is the input pixel under
  /// window element k0 + k of output pixel p0 + r, 0 in the padding.
  static Command dmaPatches(uint32_t region, uint64_t dramOffset,
                            const ConvGeometry &g, uint32_t p0, uint32_t rows,
                            uint32_t k0, uint32_t cols, uint64_t abufOffset);
  /// dmaStore with kFlagTransposed: tile element (r, c) goes to DRAM offset
  /// + r * 4 + c * stride (an output tile of pixels x channels into NCHW).
  static Command dmaStoreTransposed(uint64_t obufOffset, uint32_t region,
                                    uint64_t dramOffset,
                                    uint64_t columnStrideBytes, uint32_t rows,
                                    uint32_t cols);
};

constexpr uint32_t kFlagAccumulate = 1;
constexpr uint32_t kFlagRelu = 1;
constexpr uint32_t kFlagTransposed = 1;
constexpr uint64_t kNoBias = ~0ull;

/// One accelerator launch: the arch, the byte sizes of the DRAM regions it
/// addresses (region 0 is its weight image by convention), and its commands.
struct Launch {
  Arch arch;
  std::vector<uint64_t> regionBytes;
  std::vector<Command> commands;
};

/// Checks a command against the arch's on-chip buffers and the launch's DRAM
/// regions: every range it touches is inside, its format is one the arch
/// decodes, its flags are known. Returns "" or the reason.
std::string validateCommand(const Command &c, const Arch &arch,
                            const std::vector<uint64_t> &regionBytes);

/// Appends the launch record to `out` (header, arch, regions, commands).
void encodeLaunch(const Launch &launch, std::vector<uint8_t> &out);
/// Decodes and validates one launch record. `consumed` gets its length.
bool decodeLaunch(const uint8_t *data, uint64_t size, Launch &out,
                  uint64_t &consumed, std::string &error);

/// A whole program for a hardware back end: DRAM buffers (inputs, outputs,
/// temporaries and the packed weight images), then launches whose regions
/// name buffers.
enum class BufferKind : uint8_t {
  Input = 0,
  Output = 1,
  Temp = 2,
  Weights = 3
};
struct ProgramBuffer {
  BufferKind kind = BufferKind::Temp;
  uint64_t bytes = 0;
  std::vector<uint32_t> shape; // f32 shape of inputs and outputs
  uint64_t imageOffset = 0;    // weights: offset into the image
};
struct Program {
  std::vector<ProgramBuffer> buffers;
  std::vector<uint8_t> image;
  std::vector<Launch> launches;
  std::vector<std::vector<uint32_t>> launchBuffers; // region -> buffer id
};
void encodeProgram(const Program &program, std::vector<uint8_t> &out);
bool decodeProgram(const uint8_t *data, uint64_t size, Program &out,
                   std::string &error);

//===----------------------------------------------------------------------===//
// Simulator and analytical model
//===----------------------------------------------------------------------===//

/// What a run did. Cycles are of the whole run; busy cycles per engine.
struct Stats {
  uint64_t launches = 0, commands = 0;
  uint64_t cycles = 0;
  uint64_t dmaBusyCycles = 0, computeBusyCycles = 0;
  std::array<uint64_t, kNumOpcodes> cyclesPerOpcode{}; // by opcode
  std::array<uint64_t, kNumOpcodes> countPerOpcode{};
  uint64_t dramReadBytes = 0, dramWriteBytes = 0;
  uint64_t sramReadBytes = 0, sramWriteBytes = 0;
  uint64_t macs = 0;       // MACs performed
  uint64_t usefulMacs = 0; // of which both operands were nonzero
  uint64_t indexDecodes = 0;
  double energyMacPJ = 0, energySramPJ = 0, energyDramPJ = 0,
         energyDecodePJ = 0;
  uint32_t numPEs = 0, macsPerPE = 0, freqMHz = 0;
  double areaMM2 = 0;
  std::vector<uint64_t> launchCycles; // cycles of each launch, in order

  double energyPJ() const {
    return energyMacPJ + energySramPJ + energyDramPJ + energyDecodePJ;
  }
  /// MACs performed / MAC slots of the compute engine while busy.
  double peUtilization() const;
  double microseconds() const { return freqMHz ? double(cycles) / freqMHz : 0; }
  void add(const Stats &o);
  std::string json() const;
  std::string text() const;
};

/// Runs one launch on its regions (host memory standing for DRAM; sizes must
/// equal launch.regionBytes). Functional results land in the regions.
bool simulate(const Launch &launch, void *const *regions,
              const uint64_t *regionBytes, uint32_t numRegions, Stats &stats,
              std::string &error);

/// DRAM for running a whole program: a zeroed allocation per input, output
/// and temporary buffer (by buffer id); weight buffers point into the
/// program's image.
struct ProgramMemory {
  std::vector<std::vector<uint8_t>> owned;
  std::vector<void *> base;
};
/// Allocates `memory` for `program`; fails when memory is short.
bool allocateProgram(Program &program, ProgramMemory &memory,
                     std::string &error);
/// Runs every launch of `program` in order on `memory`.
bool simulateProgram(const Program &program, ProgramMemory &memory,
                     Stats &stats, std::string &error);

/// The analytical (Sparseloop-style) estimate of one weight tile's compute:
/// per-PE work from the tile's stored values, activation density `actDensity`
/// when the arch skips zero activations.
uint64_t estimateComputeCycles(const Arch &arch, Format fmt,
                               const uint8_t *tile, uint64_t bytes, uint32_t M,
                               uint32_t K, uint32_t B, double actDensity);
/// The analytical model of a whole launch: the simulator's engine schedule
/// (DMA / compute overlap through buffer ranges), with each compute's
/// cycles from estimateComputeCycles at activation density `actDensity`,
/// the one thing the compiler does not know. Reads only the regions the
/// weight DMAs read (the others may be null); computes no values.
bool estimateLaunch(const Launch &launch, void *const *regions,
                    double actDensity, uint64_t &cycles, std::string &error);
/// Cycles of a DMA of `bytes`.
uint64_t dmaCycles(const Arch &arch, uint64_t bytes);
/// Cycles of an epilogue over a B x M tile.
uint64_t epilogueCycles(const Arch &arch, uint32_t B, uint32_t M);

} // namespace sparsenn::accel

extern "C" {
#endif

/// Runs the launch record at `record` (from encodeLaunch) on the given DRAM
/// regions and adds its statistics to the process-wide totals. Returns 0, or
/// -1 and records the error (sacc_last_error); a failed launch leaves later
/// launches as no-ops until sacc_reset.
int sacc_launch(const uint8_t *record, uint64_t size, void *const *regions,
                const uint64_t *region_bytes, uint32_t num_regions);
/// The first error since sacc_reset, or "" when none.
const char *sacc_last_error(void);
/// Clears the statistics and the error.
void sacc_reset(void);
/// The accumulated statistics as JSON or as a text table (valid until the
/// next call).
const char *sacc_stats_json(void);
const char *sacc_stats_text(void);

#ifdef __cplusplus
}
#endif

#endif // SPARSENN_RUNTIME_ACCEL_H
