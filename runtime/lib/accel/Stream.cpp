//===- Stream.cpp - The accelerator's binary command stream ---------------===//
//
// Part of SparseNN. Encoding and validating decoding of launch records and
// whole programs (docs/AccelCommands.md). Decoding checks everything that does
// not depend on the data: every region and buffer range a command touches is
// inside its region or on-chip buffer, and every format is one the arch
// decodes. The simulator checks the rest (the contents of weight tiles).
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"

#include <cstring>

namespace sparsenn::accel {

//===----------------------------------------------------------------------===//
// Commands
//===----------------------------------------------------------------------===//

static uint64_t word0(Opcode op, Format f, uint32_t flags) {
  return uint64_t(op) | uint64_t(f.kind) << 8 | uint64_t(f.a) << 16 |
         uint64_t(f.b) << 24 | uint64_t(flags) << 32;
}

Command Command::dmaWeight(uint32_t region, uint64_t dramOffset, uint64_t bytes,
                           uint64_t wbufOffset) {
  Command c;
  c.w = {word0(Opcode::DmaWeight, {}, 0), region, dramOffset, bytes,
         wbufOffset};
  return c;
}
Command Command::dmaAct(uint32_t region, uint64_t dramOffset,
                        uint64_t rowStrideBytes, uint32_t rows, uint32_t cols,
                        uint64_t abufOffset) {
  Command c;
  c.w = {word0(Opcode::DmaAct, {}, 0),
         region,
         dramOffset,
         rowStrideBytes,
         rows,
         cols,
         abufOffset};
  return c;
}
Command Command::compute(Format fmt, uint64_t wbufOffset, uint64_t wbytes,
                         uint64_t abufOffset, uint64_t obufOffset, uint32_t M,
                         uint32_t K, uint32_t B, bool accumulate) {
  Command c;
  c.w = {word0(Opcode::Compute, fmt, accumulate ? kFlagAccumulate : 0),
         wbufOffset,
         wbytes,
         abufOffset,
         obufOffset,
         M,
         K,
         B};
  return c;
}
Command Command::epilogue(uint64_t obufOffset, uint32_t B, uint32_t M,
                          uint64_t biasOffset, bool relu) {
  Command c;
  c.w = {word0(Opcode::Epilogue, {}, relu ? kFlagRelu : 0), obufOffset, B, M,
         biasOffset};
  return c;
}
Command Command::dmaStore(uint64_t obufOffset, uint32_t region,
                          uint64_t dramOffset, uint64_t rowStrideBytes,
                          uint32_t rows, uint32_t cols) {
  Command c;
  c.w = {word0(Opcode::DmaStore, {}, 0),
         obufOffset,
         region,
         dramOffset,
         rowStrideBytes,
         rows,
         cols};
  return c;
}
uint64_t ConvGeometry::word3() const {
  return uint64_t(C) | uint64_t(H) << 16 | uint64_t(W) << 32 |
         uint64_t(KH) << 48 | uint64_t(KW) << 56;
}
uint64_t ConvGeometry::word4() const {
  return uint64_t(strideH) | uint64_t(strideW) << 8 | uint64_t(padTop) << 16 |
         uint64_t(padLeft) << 24 | uint64_t(dilationH) << 32 |
         uint64_t(dilationW) << 40 | uint64_t(OW) << 48;
}
ConvGeometry ConvGeometry::fromWords(uint64_t w3, uint64_t w4) {
  ConvGeometry g;
  g.C = w3 & 0xffff, g.H = (w3 >> 16) & 0xffff, g.W = (w3 >> 32) & 0xffff;
  g.KH = (w3 >> 48) & 0xff, g.KW = (w3 >> 56) & 0xff;
  g.strideH = w4 & 0xff, g.strideW = (w4 >> 8) & 0xff;
  g.padTop = (w4 >> 16) & 0xff, g.padLeft = (w4 >> 24) & 0xff;
  g.dilationH = (w4 >> 32) & 0xff, g.dilationW = (w4 >> 40) & 0xff;
  g.OW = (w4 >> 48) & 0xffff;
  return g;
}
bool ConvGeometry::valid() const {
  auto in = [](uint32_t v, uint32_t lo, uint32_t hi) {
    return v >= lo && v <= hi;
  };
  return in(C, 1, 0xffff) && in(H, 1, 0xffff) && in(W, 1, 0xffff) &&
         in(KH, 1, 0xff) && in(KW, 1, 0xff) && in(strideH, 1, 0xff) &&
         in(strideW, 1, 0xff) && padTop <= 0xff && padLeft <= 0xff &&
         in(dilationH, 1, 0xff) && in(dilationW, 1, 0xff) && in(OW, 1, 0xffff);
}

Command Command::dmaPatches(uint32_t region, uint64_t dramOffset,
                            const ConvGeometry &g, uint32_t p0, uint32_t rows,
                            uint32_t k0, uint32_t cols, uint64_t abufOffset) {
  Command c;
  c.w = {word0(Opcode::DmaPatches, {}, 0),
         region,
         dramOffset,
         g.word3(),
         g.word4(),
         uint64_t(p0) | uint64_t(rows) << 32,
         uint64_t(k0) | uint64_t(cols) << 32,
         abufOffset};
  return c;
}

Command Command::dmaStoreTransposed(uint64_t obufOffset, uint32_t region,
                                    uint64_t dramOffset,
                                    uint64_t columnStrideBytes, uint32_t rows,
                                    uint32_t cols) {
  Command c =
      dmaStore(obufOffset, region, dramOffset, columnStrideBytes, rows, cols);
  c.w[0] |= uint64_t(kFlagTransposed) << 32;
  return c;
}

Command::Transfer Command::transfer() const {
  bool load = opcode() == Opcode::DmaAct;
  if (load)
    return {true, false, w[1], w[2], w[3], w[4], w[5], w[6]};
  return {false, flags() == kFlagTransposed, w[2], w[3], w[4], w[5], w[6],
          w[1]};
}

Command Command::barrier() {
  Command c;
  c.w = {word0(Opcode::Barrier, {}, 0)};
  return c;
}

//===----------------------------------------------------------------------===//
// Byte-level writer and reader
//===----------------------------------------------------------------------===//

namespace {

struct Writer {
  std::vector<uint8_t> &out;
  template <typename T> void put(T v) {
    size_t at = out.size();
    out.resize(at + sizeof(T));
    memcpy(out.data() + at, &v, sizeof(T));
  }
  void align8() {
    while (out.size() % 8)
      out.push_back(0);
  }
};

struct Reader {
  const uint8_t *data;
  uint64_t size, pos = 0;
  bool ok = true;
  template <typename T> T get() {
    T v{};
    if (!ok || pos > size || size - pos < sizeof(T)) {
      ok = false;
      return v;
    }
    memcpy(&v, data + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
  bool skipTo8() {
    uint64_t next = (pos + 7) & ~uint64_t(7);
    if (next > size)
      return ok = false;
    pos = next;
    return true;
  }
};

void writeArch(Writer &w, const Arch &a) {
  for (uint32_t v :
       {a.peRows, a.peCols, a.macsPerPE, a.weightKiB, a.actKiB, a.outKiB,
        a.dramBytesPerCycle, a.dramLatency, a.freqMHz, a.numFormats})
    w.put<uint32_t>(v);
  for (const Format &f : a.formats) {
    w.put<uint8_t>(uint8_t(f.kind));
    w.put<uint8_t>(f.a);
    w.put<uint8_t>(f.b);
    w.put<uint8_t>(0);
  }
  w.put<uint8_t>(a.skipZeroActivations);
  w.put<uint8_t>(a.sparsePEs);
  w.put<uint16_t>(0);
  w.put<uint32_t>(0);
  for (double v : {a.macPJ, a.sramReadPJPerByte, a.sramWritePJPerByte,
                   a.dramPJPerByte, a.decodePJ, a.peAreaMM2, a.sparsePEExtraMM2,
                   a.sramAreaMM2PerKiB, a.decompressorAreaMM2})
    w.put<double>(v);
}

bool readArch(Reader &r, Arch &a, std::string &error) {
  for (uint32_t *v :
       {&a.peRows, &a.peCols, &a.macsPerPE, &a.weightKiB, &a.actKiB, &a.outKiB,
        &a.dramBytesPerCycle, &a.dramLatency, &a.freqMHz, &a.numFormats})
    *v = r.get<uint32_t>();
  for (Format &f : a.formats) {
    uint8_t kind = r.get<uint8_t>();
    f.a = r.get<uint8_t>();
    f.b = r.get<uint8_t>();
    r.get<uint8_t>();
    if (kind > uint8_t(FormatKind::Block)) {
      error = "unknown weight format kind " + std::to_string(kind);
      return false;
    }
    f.kind = FormatKind(kind);
  }
  uint8_t skip = r.get<uint8_t>(), sparse = r.get<uint8_t>();
  r.get<uint16_t>();
  r.get<uint32_t>();
  if (skip > 1 || sparse > 1) {
    error = "arch flags must be 0 or 1";
    return false;
  }
  a.skipZeroActivations = skip, a.sparsePEs = sparse;
  for (double *v :
       {&a.macPJ, &a.sramReadPJPerByte, &a.sramWritePJPerByte, &a.dramPJPerByte,
        &a.decodePJ, &a.peAreaMM2, &a.sparsePEExtraMM2, &a.sramAreaMM2PerKiB,
        &a.decompressorAreaMM2})
    *v = r.get<double>();
  if (!r.ok) {
    error = "truncated arch block";
    return false;
  }
  error = a.validate();
  return error.empty();
}

/// Whether [offset, offset + count * unit) lies inside [0, capacity), with
/// no overflow.
bool inside(uint64_t offset, uint64_t count, uint64_t unit, uint64_t capacity) {
  uint64_t len;
  if (__builtin_mul_overflow(count, unit, &len))
    return false;
  return offset <= capacity && len <= capacity - offset;
}

/// Bytes a strided f32 rows x cols access spans.
bool stridedSpan(uint64_t rows, uint64_t cols, uint64_t stride,
                 uint64_t &span) {
  if (rows == 0 || cols == 0) {
    span = 0;
    return true;
  }
  uint64_t last;
  if (__builtin_mul_overflow(rows - 1, stride, &last) || cols > (1ull << 40))
    return false;
  return !__builtin_add_overflow(last, cols * 4, &span) && stride >= cols * 4;
}

constexpr uint64_t kMaxRegions = 1 << 16;

} // namespace

std::string validateCommand(const Command &c, const Arch &a,
                            const std::vector<uint64_t> &regionBytes) {
  uint64_t wbuf = uint64_t(a.weightKiB) << 10, abuf = uint64_t(a.actKiB) << 10,
           obuf = uint64_t(a.outKiB) << 10;
  auto region = [&](uint64_t id, uint64_t off, uint64_t len) -> std::string {
    if (id >= regionBytes.size())
      return "region " + std::to_string(id) + " does not exist (" +
             std::to_string(regionBytes.size()) + " regions)";
    if (!inside(off, len, 1, regionBytes[id]))
      return "DRAM range [" + std::to_string(off) + ", +" +
             std::to_string(len) + ") is outside region " + std::to_string(id) +
             " (" + std::to_string(regionBytes[id]) + " bytes)";
    return "";
  };
  auto buffer = [](const char *name, uint64_t off, uint64_t count,
                   uint64_t unit, uint64_t cap) -> std::string {
    // f32 data sits at 4-byte aligned buffer offsets.
    if (unit == 4 && off % 4)
      return std::string(name) + " buffer offset " + std::to_string(off) +
             " is not a multiple of 4";
    if (!inside(off, count, unit, cap))
      return std::string(name) + " buffer range at " + std::to_string(off) +
             " of " + std::to_string(count) + "x" + std::to_string(unit) +
             " bytes overflows the " + std::to_string(cap) + "-byte buffer";
    return "";
  };
  auto dims = [](std::initializer_list<uint64_t> ds) {
    for (uint64_t d : ds)
      if (d > (1u << 24))
        return false;
    return true;
  };
  if ((c.w[0] & 0xffffff00u) && c.opcode() != Opcode::Compute)
    return "format bits set on a command that takes no format";
  switch (c.opcode()) {
  case Opcode::DmaWeight:
    if (c.flags())
      return "unknown flags";
    if (std::string e = region(c.w[1], c.w[2], c.w[3]); !e.empty())
      return e;
    return buffer("weight", c.w[4], c.w[3], 1, wbuf);
  case Opcode::DmaAct:
  case Opcode::DmaStore: {
    Command::Transfer x = c.transfer();
    if ((c.flags() && !x.transposed) || !dims({x.rows, x.cols}))
      return "bad flags or sizes";
    uint64_t span;
    // Transposed: columns are `stride` apart, the rows of a column
    // consecutive.
    if (!stridedSpan(x.transposed ? x.cols : x.rows,
                     x.transposed ? x.rows : x.cols, x.stride, span))
      return std::string(x.transposed ? "column" : "row") + " stride " +
             std::to_string(x.stride) + " is shorter than a " +
             (x.transposed ? "column" : "row");
    if (std::string e = region(x.region, x.dramOffset, span); !e.empty())
      return e;
    return buffer(x.load ? "activation" : "output", x.bufOffset,
                  x.rows * x.cols, 4, x.load ? abuf : obuf);
  }
  case Opcode::DmaPatches: {
    ConvGeometry g = ConvGeometry::fromWords(c.w[3], c.w[4]);
    uint64_t p0 = c.w[5] & 0xffffffff, rows = c.w[5] >> 32;
    uint64_t k0 = c.w[6] & 0xffffffff, cols = c.w[6] >> 32;
    if (c.flags() || !g.valid() || !dims({p0, rows, k0, cols}))
      return "bad flags, sizes or window geometry";
    if (k0 + cols > uint64_t(g.C) * g.KH * g.KW)
      return "window columns [" + std::to_string(k0) + ", +" +
             std::to_string(cols) + ") exceed C x KH x KW = " +
             std::to_string(uint64_t(g.C) * g.KH * g.KW);
    if (std::string e = region(c.w[1], c.w[2], uint64_t(g.C) * g.H * g.W * 4);
        !e.empty())
      return e;
    return buffer("activation", c.w[7], rows * cols, 4, abuf);
  }
  case Opcode::Compute: {
    Format f = c.format();
    if (!f.valid() || !a.supports(f))
      return "weight format " + f.str() + " is not one the arch decodes";
    if (c.flags() & ~kFlagAccumulate)
      return "unknown flags";
    uint64_t M = c.w[5], K = c.w[6], B = c.w[7];
    if (!dims({M, K, B}))
      return "tile dimensions too large";
    if (std::string e = buffer("weight", c.w[1], c.w[2], 1, wbuf); !e.empty())
      return e;
    if (std::string e = buffer("activation", c.w[3], B * K, 4, abuf);
        !e.empty())
      return e;
    return buffer("output", c.w[4], B * M, 4, obuf);
  }
  case Opcode::Epilogue: {
    if (c.flags() & ~kFlagRelu || !dims({c.w[2], c.w[3]}))
      return "bad flags or sizes";
    if (std::string e = buffer("output", c.w[1], c.w[2] * c.w[3], 4, obuf);
        !e.empty())
      return e;
    return c.w[4] == kNoBias ? "" : buffer("weight", c.w[4], c.w[3], 4, wbuf);
  }
  case Opcode::Barrier:
    return c.flags() ? "unknown flags" : "";
  }
  return "unknown opcode " + std::to_string(int(c.opcode()));
}

//===----------------------------------------------------------------------===//
// Launches and programs
//===----------------------------------------------------------------------===//

void encodeLaunch(const Launch &l, std::vector<uint8_t> &out) {
  size_t start = out.size();
  Writer w{out};
  w.put<uint32_t>(kLaunchMagic);
  w.put<uint32_t>(kStreamVersion);
  w.put<uint64_t>(0); // total length, patched below
  writeArch(w, l.arch);
  w.put<uint32_t>(static_cast<uint32_t>(l.regionBytes.size()));
  w.put<uint32_t>(static_cast<uint32_t>(l.commands.size()));
  for (uint64_t b : l.regionBytes)
    w.put<uint64_t>(b);
  for (const Command &c : l.commands)
    for (uint64_t v : c.w)
      w.put<uint64_t>(v);
  uint64_t total = out.size() - start;
  memcpy(out.data() + start + 8, &total, 8);
}

bool decodeLaunch(const uint8_t *data, uint64_t size, Launch &l,
                  uint64_t &consumed, std::string &error) {
  l = Launch();
  Reader r{data, size};
  uint32_t magic = r.get<uint32_t>(), version = r.get<uint32_t>();
  uint64_t total = r.get<uint64_t>();
  if (!r.ok || magic != kLaunchMagic) {
    error = "not a launch record (bad magic)";
    return false;
  }
  if (version != kStreamVersion) {
    error = "launch record version " + std::to_string(version) +
            " is not supported (this simulator reads version " +
            std::to_string(kStreamVersion) + ")";
    return false;
  }
  if (total < r.pos) {
    error = "a launch record of " + std::to_string(total) +
            " bytes is shorter than its header";
    return false;
  }
  if (total > size) {
    error = "truncated launch record: " + std::to_string(total) +
            " bytes declared, " + std::to_string(size) + " present";
    return false;
  }
  r.size = total;
  if (!readArch(r, l.arch, error)) {
    error = "launch record: " + error;
    return false;
  }
  uint32_t numRegions = r.get<uint32_t>(), numCommands = r.get<uint32_t>();
  if (!r.ok || numRegions > kMaxRegions ||
      !inside(r.pos, numRegions, 8, total) ||
      !inside(r.pos + 8ull * numRegions, numCommands, 64, total) ||
      r.pos + 8ull * numRegions + 64ull * numCommands != total) {
    error = "launch record: its region and command counts (" +
            std::to_string(numRegions) + ", " + std::to_string(numCommands) +
            ") do not match its length";
    return false;
  }
  l.regionBytes.resize(numRegions);
  for (uint64_t &b : l.regionBytes)
    b = r.get<uint64_t>();
  l.commands.resize(numCommands);
  for (size_t i = 0; i < l.commands.size(); ++i) {
    for (uint64_t &v : l.commands[i].w)
      v = r.get<uint64_t>();
    if (std::string e = validateCommand(l.commands[i], l.arch, l.regionBytes);
        !e.empty()) {
      error = "command #" + std::to_string(i) + ": " + e;
      return false;
    }
  }
  consumed = total;
  return true;
}

void encodeProgram(const Program &p, std::vector<uint8_t> &out) {
  Writer w{out};
  w.put<uint32_t>(kProgramMagic);
  w.put<uint32_t>(kStreamVersion);
  w.put<uint32_t>(static_cast<uint32_t>(p.buffers.size()));
  w.put<uint32_t>(static_cast<uint32_t>(p.launches.size()));
  w.put<uint64_t>(p.image.size());
  for (const ProgramBuffer &b : p.buffers) {
    w.put<uint8_t>(uint8_t(b.kind));
    w.put<uint8_t>(static_cast<uint8_t>(b.shape.size()));
    w.put<uint16_t>(0);
    w.put<uint32_t>(0);
    w.put<uint64_t>(b.bytes);
    w.put<uint64_t>(b.imageOffset);
    for (unsigned i = 0; i < 8; ++i)
      w.put<uint32_t>(i < b.shape.size() ? b.shape[i] : 0);
  }
  out.insert(out.end(), p.image.begin(), p.image.end());
  w.align8();
  for (size_t i = 0; i < p.launches.size(); ++i) {
    w.put<uint32_t>(static_cast<uint32_t>(p.launchBuffers[i].size()));
    for (uint32_t id : p.launchBuffers[i])
      w.put<uint32_t>(id);
    w.align8();
    encodeLaunch(p.launches[i], out);
    w.align8();
  }
}

bool decodeProgram(const uint8_t *data, uint64_t size, Program &p,
                   std::string &error) {
  p = Program();
  Reader r{data, size};
  uint32_t magic = r.get<uint32_t>(), version = r.get<uint32_t>();
  if (!r.ok || magic != kProgramMagic) {
    error = "not a SparseNN accelerator program (bad magic)";
    return false;
  }
  if (version != kStreamVersion) {
    error = "program version " + std::to_string(version) +
            " is not supported (this simulator reads version " +
            std::to_string(kStreamVersion) + ")";
    return false;
  }
  uint32_t numBuffers = r.get<uint32_t>(), numLaunches = r.get<uint32_t>();
  uint64_t imageBytes = r.get<uint64_t>();
  if (!r.ok || !inside(r.pos, numBuffers, 56, size)) {
    error = "truncated program header or buffer table";
    return false;
  }
  p.buffers.resize(numBuffers);
  for (auto &b : p.buffers) {
    uint8_t kind = r.get<uint8_t>(), rank = r.get<uint8_t>();
    r.get<uint16_t>();
    r.get<uint32_t>();
    b.bytes = r.get<uint64_t>();
    b.imageOffset = r.get<uint64_t>();
    uint64_t elems = 1;
    for (unsigned i = 0; i < 8; ++i) {
      uint32_t d = r.get<uint32_t>();
      if (i < rank) {
        b.shape.push_back(d);
        if (__builtin_mul_overflow(elems, uint64_t(d), &elems))
          elems = ~0ull;
      }
    }
    if (kind > uint8_t(BufferKind::Weights) || rank > 8) {
      error = "bad buffer kind or rank";
      return false;
    }
    b.kind = BufferKind(kind);
    if ((b.kind == BufferKind::Input || b.kind == BufferKind::Output) &&
        (rank == 0 || elems > (1ull << 40) || elems * 4 != b.bytes)) {
      error = "an input or output buffer's shape does not match its size";
      return false;
    }
    if (b.kind == BufferKind::Weights &&
        !inside(b.imageOffset, b.bytes, 1, imageBytes)) {
      error = "a weight buffer lies outside the image";
      return false;
    }
    if (b.bytes > (1ull << 40)) {
      error = "a buffer of " + std::to_string(b.bytes) + " bytes is too large";
      return false;
    }
  }
  if (!inside(r.pos, imageBytes, 1, size)) {
    error = "truncated weight image";
    return false;
  }
  p.image.assign(data + r.pos, data + r.pos + imageBytes);
  r.pos += imageBytes;
  p.launches.resize(numLaunches > 4096 ? 0 : numLaunches);
  if (numLaunches > 4096) {
    error = "too many launches";
    return false;
  }
  p.launchBuffers.resize(numLaunches);
  for (uint32_t i = 0; i < numLaunches; ++i) {
    if (!r.skipTo8()) {
      error = "truncated launch #" + std::to_string(i);
      return false;
    }
    uint32_t n = r.get<uint32_t>();
    if (!r.ok || !inside(r.pos, n, 4, size)) {
      error = "truncated launch #" + std::to_string(i);
      return false;
    }
    for (uint32_t k = 0; k < n; ++k) {
      uint32_t id = r.get<uint32_t>();
      if (id >= numBuffers) {
        error = "launch #" + std::to_string(i) + " names buffer " +
                std::to_string(id) + " of " + std::to_string(numBuffers);
        return false;
      }
      p.launchBuffers[i].push_back(id);
    }
    uint64_t consumed = 0;
    if (!r.skipTo8() || !decodeLaunch(data + r.pos, size - r.pos, p.launches[i],
                                      consumed, error)) {
      error = "launch #" + std::to_string(i) + ": " +
              (error.empty() ? "truncated" : error);
      return false;
    }
    r.pos += consumed;
    const Launch &l = p.launches[i];
    if (l.regionBytes.size() != n) {
      error = "launch #" + std::to_string(i) + " maps " + std::to_string(n) +
              " regions but addresses " + std::to_string(l.regionBytes.size());
      return false;
    }
    for (uint32_t k = 0; k < n; ++k)
      if (l.regionBytes[k] != p.buffers[p.launchBuffers[i][k]].bytes) {
        error = "launch #" + std::to_string(i) + ": region " +
                std::to_string(k) + " is " + std::to_string(l.regionBytes[k]) +
                " bytes but buffer " + std::to_string(p.launchBuffers[i][k]) +
                " is " + std::to_string(p.buffers[p.launchBuffers[i][k]].bytes);
        return false;
      }
  }
  return true;
}

} // namespace sparsenn::accel
