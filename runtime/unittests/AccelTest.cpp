//===- AccelTest.cpp - Unit tests of the accelerator runtime --------------===//
//
// Part of SparseNN. Formats, the command stream's validation and the
// simulator's numbers and counts, against plain loops.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

using namespace sparsenn::accel;

namespace {

/// A rows x cols matrix with about `density` nonzeros, in `fmt`'s structure.
std::vector<float> randomWeights(Format fmt, uint32_t rows, uint32_t cols,
                                 double density, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> w(uint64_t(rows) * cols, 0.0f);
  for (uint32_t r = 0; r < rows; ++r)
    for (uint32_t c = 0; c < cols; ++c) {
      bool keep;
      if (fmt.kind == FormatKind::NM)
        keep = (c % fmt.b) < fmt.a && u(gen) > -0.8f; // some groups short
      else if (fmt.kind == FormatKind::Block) {
        std::mt19937 g2(seed * 7919 + (r / fmt.a) * 1009 + c / fmt.b);
        keep = std::uniform_real_distribution<double>(0, 1)(g2) < density;
      } else
        keep = (u(gen) + 1) / 2 < density;
      if (keep)
        w[uint64_t(r) * cols + c] = u(gen);
    }
  return w;
}

std::vector<Format> allFormats() {
  return {Format{FormatKind::Dense}, Format{FormatKind::CSR},
          Format{FormatKind::Bitmap}, Format{FormatKind::NM, 2, 4},
          Format{FormatKind::Block, 4, 4}};
}

Arch archWith(std::initializer_list<Format> formats) {
  Arch a;
  a.numFormats = 0;
  for (Format f : formats)
    a.formats[a.numFormats++] = f;
  return a;
}

TEST(AccelFormats, PackThenDecodeGivesTheMatrixBack) {
  for (Format f : allFormats()) {
    uint32_t rows = 16, cols = 24;
    std::vector<float> w = randomWeights(f, rows, cols, 0.3, 1);
    std::vector<uint8_t> packed;
    std::string error;
    ASSERT_TRUE(packTile(f, w.data(), cols, rows, cols, packed, error))
        << f.str() << ": " << error;
    std::vector<float> back(w.size(), 0.0f);
    ASSERT_TRUE(forEachTileValue(
        f, packed.data(), packed.size(), rows, cols,
        [&](uint32_t r, uint32_t c, float v) { back[r * cols + c] += v; },
        error))
        << f.str() << ": " << error;
    EXPECT_EQ(back, w) << f.str();
  }
}

TEST(AccelFormats, SparseFormatsAreSmallerAtHighSparsity) {
  uint32_t rows = 64, cols = 64;
  std::vector<float> w =
      randomWeights(Format{FormatKind::CSR}, rows, cols, 0.1, 2);
  std::vector<uint8_t> dense, csr, bitmap;
  std::string error;
  ASSERT_TRUE(packTile(Format{FormatKind::Dense}, w.data(), cols, rows, cols,
                       dense, error));
  ASSERT_TRUE(packTile(Format{FormatKind::CSR}, w.data(), cols, rows, cols, csr,
                       error));
  ASSERT_TRUE(packTile(Format{FormatKind::Bitmap}, w.data(), cols, rows, cols,
                       bitmap, error));
  EXPECT_EQ(dense.size(), 64u * 64 * 4);
  EXPECT_LT(csr.size(), dense.size() / 4);
  EXPECT_LT(bitmap.size(), dense.size() / 4);
}

TEST(AccelFormats, NMRejectsAGroupWithTooManyNonzeros) {
  std::vector<float> w = {1, 2, 3, 0, 0, 0, 0, 1};
  std::vector<uint8_t> packed;
  std::string error;
  EXPECT_FALSE(
      packTile(Format{FormatKind::NM, 2, 4}, w.data(), 8, 1, 8, packed, error));
  EXPECT_NE(error.find("more than 2 nonzeros"), std::string::npos) << error;
}

TEST(AccelFormats, ParseAndPrint) {
  for (Format f : allFormats()) {
    Format g;
    ASSERT_TRUE(parseFormat(f.str(), g)) << f.str();
    EXPECT_EQ(f, g);
  }
  Format g;
  for (const char *bad : {"", "nm<4,2>", "nm<2,4", "block<0,4>", "csc",
                          "nm<2,4>x", "block<4,4,4>"})
    EXPECT_FALSE(parseFormat(bad, g)) << bad;
}

TEST(AccelFormats, CorruptTilesAreRejected) {
  std::vector<float> w = randomWeights(Format{FormatKind::CSR}, 8, 8, 0.5, 3);
  std::vector<uint8_t> packed;
  std::string error;
  ASSERT_TRUE(
      packTile(Format{FormatKind::CSR}, w.data(), 8, 8, 8, packed, error));
  auto visit = [](uint32_t, uint32_t, float) {};
  // Every truncation fails.
  for (size_t n = 0; n < packed.size(); ++n)
    EXPECT_FALSE(forEachTileValue(Format{FormatKind::CSR}, packed.data(), n, 8,
                                  8, visit, error))
        << n;
  // A column index out of range.
  std::vector<uint8_t> bad = packed;
  bad[4 * 9] = 200;
  EXPECT_FALSE(forEachTileValue(Format{FormatKind::CSR}, bad.data(), bad.size(),
                                8, 8, visit, error));
  // Row pointers that go backwards.
  bad = packed;
  uint32_t big = 1000;
  memcpy(bad.data() + 4, &big, 4);
  EXPECT_FALSE(forEachTileValue(Format{FormatKind::CSR}, bad.data(), bad.size(),
                                8, 8, visit, error));
}

/// y[B, M] = act(x[B, K] W[M, K]^T + bias) on the accelerator, with W tiled
/// into tm x tk tiles in `fmt`, double-buffered when `doubleBuffer`.
struct LinearCase {
  uint32_t B = 5, M = 48, K = 40, tm = 16, tk = 20;
  Format fmt{FormatKind::CSR};
  bool relu = true, doubleBuffer = true;
  double density = 0.3;
  double zeroActs = 0.0;

  std::vector<float> w, x, bias, y;
  std::vector<uint8_t> image;
  Launch launch;

  void build(const Arch &arch) {
    w = randomWeights(fmt, M, K, density, 11);
    std::mt19937 gen(5);
    std::uniform_real_distribution<float> u(-1, 1);
    x.resize(uint64_t(B) * K);
    for (float &v : x)
      v = (u(gen) + 1) / 2 < zeroActs ? 0.0f : u(gen);
    bias.resize(M);
    for (float &v : bias)
      v = u(gen);
    y.assign(uint64_t(B) * M, -7.0f);
    // The image: bias, then every tile.
    image.resize(M * 4);
    memcpy(image.data(), bias.data(), M * 4);
    launch.arch = arch;
    auto &cmds = launch.commands;
    uint64_t half = (uint64_t(arch.weightKiB) << 10) / 2;
    uint64_t ahalf = (uint64_t(arch.actKiB) << 10) / 2;
    cmds.push_back(Command::dmaWeight(0, 0, M * 4, 0)); // bias at 0
    unsigned n = 0;
    for (uint32_t m0 = 0; m0 < M; m0 += tm)
      for (uint32_t k0 = 0; k0 < K; k0 += tk, ++n) {
        uint64_t at = image.size();
        std::string error;
        EXPECT_TRUE(packTile(fmt, w.data() + uint64_t(m0) * K + k0, K, tm, tk,
                             image, error))
            << error;
        uint64_t bytes = image.size() - at;
        uint64_t slot = doubleBuffer ? (n % 2) : 0;
        uint64_t wOff = 4096 + slot * (half - 4096);
        uint64_t aOff = slot * ahalf;
        cmds.push_back(Command::dmaWeight(0, at, bytes, wOff));
        cmds.push_back(Command::dmaAct(1, k0 * 4, K * 4, B, tk, aOff));
        cmds.push_back(
            Command::compute(fmt, wOff, bytes, aOff, 0, tm, tk, B, k0 > 0));
        if (k0 + tk >= K) {
          cmds.push_back(Command::epilogue(0, B, tm, m0 * 4, relu));
          cmds.push_back(Command::dmaStore(0, 2, m0 * 4, M * 4, B, tm));
        }
      }
    cmds.push_back(Command::barrier());
    launch.regionBytes = {image.size(), x.size() * 4, y.size() * 4};
  }

  bool run(Stats &stats, std::string &error) {
    void *regions[] = {image.data(), x.data(), y.data()};
    return simulate(launch, regions, launch.regionBytes.data(), 3, stats,
                    error);
  }

  void expectCorrect() const {
    for (uint32_t b = 0; b < B; ++b)
      for (uint32_t m = 0; m < M; ++m) {
        double acc = bias[m];
        for (uint32_t k = 0; k < K; ++k)
          acc += double(x[b * K + k]) * w[m * K + k];
        if (relu && acc < 0)
          acc = 0;
        EXPECT_NEAR(y[b * M + m], acc, 1e-4) << b << "," << m;
      }
  }
};

TEST(AccelSimulator, LinearLayerInEveryFormatMatchesALoop) {
  for (Format f : allFormats()) {
    LinearCase c;
    c.fmt = f;
    c.build(archWith({f}));
    Stats stats;
    std::string error;
    ASSERT_TRUE(c.run(stats, error)) << f.str() << ": " << error;
    c.expectCorrect();
    // DRAM traffic is exactly the image, the activations once per output
    // tile and the result.
    EXPECT_EQ(stats.dramReadBytes,
              c.image.size() + (c.M / c.tm) * c.x.size() * 4);
    EXPECT_EQ(stats.dramWriteBytes, c.y.size() * 4);
    EXPECT_GT(stats.cycles, 0u);
    EXPECT_GT(stats.energyPJ(), 0.0);
    EXPECT_LE(stats.peUtilization(), 1.0);
  }
}

TEST(AccelSimulator, DoubleBufferingOverlapsLoadsWithCompute) {
  LinearCase a, b;
  a.doubleBuffer = true;
  b.doubleBuffer = false;
  a.fmt = b.fmt = Format{FormatKind::Dense};
  Arch arch = archWith({Format{FormatKind::Dense}});
  arch.peRows = arch.peCols = 1; // compute-heavy
  a.build(arch);
  b.build(arch);
  Stats sa, sb;
  std::string error;
  ASSERT_TRUE(a.run(sa, error)) << error;
  ASSERT_TRUE(b.run(sb, error)) << error;
  EXPECT_EQ(a.y, b.y);
  EXPECT_LT(sa.cycles, sb.cycles);
  // Never faster than either engine alone.
  EXPECT_GE(sa.cycles, sa.computeBusyCycles);
  EXPECT_GE(sa.cycles, sa.dmaBusyCycles);
  EXPECT_EQ(sb.cycles, sb.computeBusyCycles + sb.dmaBusyCycles);
}

TEST(AccelSimulator, SkippingZeroActivationsSavesMacsNotResults) {
  Arch skip = archWith({Format{FormatKind::CSR}});
  skip.skipZeroActivations = true;
  Arch noSkip = archWith({Format{FormatKind::CSR}});
  LinearCase a, b;
  a.zeroActs = b.zeroActs = 0.6;
  a.build(skip);
  b.build(noSkip);
  Stats sa, sb;
  std::string error;
  ASSERT_TRUE(a.run(sa, error)) << error;
  ASSERT_TRUE(b.run(sb, error)) << error;
  a.expectCorrect();
  EXPECT_LT(sa.macs, sb.macs);
  EXPECT_EQ(sa.usefulMacs, sb.usefulMacs);
  EXPECT_EQ(sa.usefulMacs, sa.macs); // CSR stores no zeros
}

TEST(AccelSimulator, TheModelMatchesTheSimulatorsComputeCycles) {
  for (Format f : allFormats()) {
    LinearCase c;
    c.fmt = f;
    Arch arch = archWith({f});
    c.build(arch);
    Stats stats;
    std::string error;
    ASSERT_TRUE(c.run(stats, error)) << error;
    uint64_t model = 0;
    for (const Command &cmd : c.launch.commands)
      if (cmd.opcode() == Opcode::Compute) {
        uint64_t at = 0;
        // Find the tile in the image: the DMA before this compute.
        for (size_t i = 0; i < c.launch.commands.size(); ++i)
          if (&c.launch.commands[i] == &cmd)
            at = c.launch.commands[i - 2].w[2];
        model += estimateComputeCycles(arch, f, c.image.data() + at, cmd.w[2],
                                       cmd.w[5], cmd.w[6], cmd.w[7], 1.0);
      }
    EXPECT_EQ(model, stats.cyclesPerOpcode[unsigned(Opcode::Compute)])
        << f.str();
  }
}

TEST(AccelSimulator, ConvolutionThroughPatchesMatchesALoop) {
  // y = conv(x, W) + b for an NCHW image, with padding, strides and
  // dilations: patches (im2col addressing) in, a transposed store out.
  ConvGeometry g;
  g.C = 3, g.H = 7, g.W = 6, g.KH = 3, g.KW = 2;
  g.strideH = 2, g.strideW = 1, g.padTop = 1, g.padLeft = 1;
  g.dilationH = 1, g.dilationW = 2;
  uint32_t OH =
      (g.H + 2 * g.padTop - g.dilationH * (g.KH - 1) - 1) / g.strideH + 1;
  uint32_t OW =
      (g.W + 2 * g.padLeft - g.dilationW * (g.KW - 1) - 1) / g.strideW + 1;
  g.OW = OW;
  uint32_t O = 5, K = g.C * g.KH * g.KW, P = OH * OW;
  std::vector<float> w = randomWeights(Format{FormatKind::CSR}, O, K, 0.5, 4);
  std::vector<float> x(g.C * g.H * g.W), y(O * P, -1.0f);
  std::mt19937 gen(9);
  std::uniform_real_distribution<float> u(-1, 1);
  for (float &v : x)
    v = u(gen);
  std::vector<uint8_t> image;
  std::string error;
  Launch l;
  l.arch = archWith({Format{FormatKind::Dense}});
  l.regionBytes = {0, x.size() * 4, y.size() * 4};
  // Two pixel tiles, two reduction tiles.
  uint32_t tp = (P + 1) / 2, tk = (K + 1) / 2;
  for (uint32_t p0 = 0; p0 < P; p0 += tp) {
    uint32_t rows = std::min(tp, P - p0);
    for (uint32_t k0 = 0; k0 < K; k0 += tk) {
      uint32_t cols = std::min(tk, K - k0);
      // The weight tile of columns [k0, k0 + cols).
      std::vector<uint8_t> tile;
      ASSERT_TRUE(packTile(Format{FormatKind::Dense}, w.data() + k0, K, O, cols,
                           tile, error));
      uint64_t at = image.size();
      image.insert(image.end(), tile.begin(), tile.end());
      l.regionBytes[0] = image.size();
      l.commands.push_back(Command::dmaWeight(0, at, tile.size(), 0));
      l.commands.push_back(Command::dmaPatches(1, 0, g, p0, rows, k0, cols, 0));
      l.commands.push_back(Command::compute(Format{FormatKind::Dense}, 0,
                                            tile.size(), 0, 0, O, cols, rows,
                                            k0 > 0));
    }
    l.commands.push_back(
        Command::dmaStoreTransposed(0, 2, p0 * 4, P * 4, rows, O));
  }
  void *regions[] = {image.data(), x.data(), y.data()};
  Stats stats;
  ASSERT_TRUE(simulate(l, regions, l.regionBytes.data(), 3, stats, error))
      << error;
  for (uint32_t o = 0; o < O; ++o)
    for (uint32_t oh = 0; oh < OH; ++oh)
      for (uint32_t ow = 0; ow < OW; ++ow) {
        double acc = 0;
        for (uint32_t c = 0; c < g.C; ++c)
          for (uint32_t kh = 0; kh < g.KH; ++kh)
            for (uint32_t kw = 0; kw < g.KW; ++kw) {
              int ih = int(oh * g.strideH + kh * g.dilationH) - int(g.padTop);
              int iw = int(ow * g.strideW + kw * g.dilationW) - int(g.padLeft);
              if (ih < 0 || iw < 0 || ih >= int(g.H) || iw >= int(g.W))
                continue;
              acc += double(w[o * K + (c * g.KH + kh) * g.KW + kw]) *
                     x[(c * g.H + ih) * g.W + iw];
            }
        EXPECT_NEAR(y[o * P + oh * OW + ow], acc, 1e-4)
            << o << "," << oh << "," << ow;
      }
  // The window columns must stay inside C x KH x KW.
  std::string why = validateCommand(
      Command::dmaPatches(1, 0, g, 0, 1, K - 1, 2, 0), l.arch, l.regionBytes);
  EXPECT_NE(why.find("exceed C x KH x KW"), std::string::npos) << why;
  ConvGeometry bad = g;
  bad.strideH = 0;
  why = validateCommand(Command::dmaPatches(1, 0, bad, 0, 1, 0, 1, 0), l.arch,
                        l.regionBytes);
  EXPECT_NE(why.find("window geometry"), std::string::npos) << why;
}

TEST(AccelStream, EncodeDecodeRoundTrip) {
  LinearCase c;
  c.build(archWith({Format{FormatKind::CSR}}));
  std::vector<uint8_t> bytes;
  encodeLaunch(c.launch, bytes);
  Launch back;
  uint64_t consumed = 0;
  std::string error;
  ASSERT_TRUE(decodeLaunch(bytes.data(), bytes.size(), back, consumed, error))
      << error;
  EXPECT_EQ(consumed, bytes.size());
  EXPECT_TRUE(back.arch == c.launch.arch);
  EXPECT_EQ(back.regionBytes, c.launch.regionBytes);
  ASSERT_EQ(back.commands.size(), c.launch.commands.size());
  for (size_t i = 0; i < back.commands.size(); ++i)
    EXPECT_EQ(back.commands[i].w, c.launch.commands[i].w);
}

TEST(AccelStream, BadRecordsAreRejectedWithAReason) {
  LinearCase c;
  c.build(archWith({Format{FormatKind::CSR}}));
  std::vector<uint8_t> good;
  encodeLaunch(c.launch, good);
  Launch l;
  uint64_t consumed;
  std::string error;
  for (size_t n = 0; n < good.size(); n += 7)
    EXPECT_FALSE(decodeLaunch(good.data(), n, l, consumed, error)) << n;

  auto expectError = [&](std::vector<uint8_t> bytes, const char *what) {
    error.clear();
    EXPECT_FALSE(decodeLaunch(bytes.data(), bytes.size(), l, consumed, error));
    EXPECT_NE(error.find(what), std::string::npos) << error;
  };
  std::vector<uint8_t> bad = good;
  bad[4] = 9;
  expectError(bad, "version 9");
  bad = good;
  bad[0] = 'X';
  expectError(bad, "bad magic");

  auto withCommand = [&](Command cmd) {
    Launch m = c.launch;
    m.commands.push_back(cmd);
    std::vector<uint8_t> bytes;
    encodeLaunch(m, bytes);
    return bytes;
  };
  expectError(withCommand(Command::dmaWeight(7, 0, 4, 0)), "region 7");
  expectError(withCommand(Command::dmaWeight(0, c.image.size() - 2, 4, 0)),
              "outside region 0");
  expectError(withCommand(Command::dmaWeight(0, 0, 4, 128 * 1024 - 2)),
              "overflows");
  expectError(withCommand(Command::dmaAct(1, 0, 4, 5, 40, 0)),
              "shorter than a row");
  expectError(withCommand(Command::dmaStore(0, 2, ~0ull - 3, 4, 1, 1)),
              "outside region 2");
  expectError(withCommand(Command::compute(Format{FormatKind::NM, 2, 4}, 0, 4,
                                           0, 0, 1, 4, 1, false)),
              "not one the arch decodes");
  expectError(withCommand(Command::compute(Format{FormatKind::CSR}, 0, 4, 0, 0,
                                           1u << 20, 1u << 20, 1, false)),
              "overflows");
  Command unknown;
  unknown.w[0] = 42;
  expectError(withCommand(unknown), "unknown opcode 42");
  // Found by fuzz-accel: f32 tiles at unaligned buffer offsets.
  expectError(withCommand(Command::compute(Format{FormatKind::CSR}, 0, 4, 0, 2,
                                           1, 4, 1, false)),
              "output buffer offset 2 is not a multiple of 4");
  expectError(withCommand(Command::epilogue(0, 1, 4, 6, false)),
              "weight buffer offset 6 is not a multiple of 4");
  // Found by fuzz-accel: a record whose length is shorter than its header.
  bad = good;
  uint64_t four = 4;
  memcpy(bad.data() + 8, &four, 8);
  expectError(bad, "shorter than its header");
}

TEST(AccelStream, EmptyTilesNeverTouchMemory) {
  // Found by fuzz-accel: zero columns with a huge row stride.
  LinearCase c;
  c.build(archWith({Format{FormatKind::CSR}}));
  c.launch.commands.insert(c.launch.commands.begin(),
                           Command::dmaAct(1, 0, ~0ull / 2, 3, 0, 0));
  Stats stats;
  std::string error;
  EXPECT_TRUE(c.run(stats, error)) << error;
  c.expectCorrect();
}

TEST(AccelStream, ACorruptTileFailsTheLaunchNotTheProcess) {
  LinearCase c;
  c.build(archWith({Format{FormatKind::CSR}}));
  // Point the first compute at the bias instead of its tile.
  for (Command &cmd : c.launch.commands)
    if (cmd.opcode() == Opcode::Compute) {
      cmd.w[1] = 0;
      break;
    }
  Stats stats;
  std::string error;
  EXPECT_FALSE(c.run(stats, error));
  EXPECT_NE(error.find("compute"), std::string::npos) << error;
}

TEST(AccelStream, ProgramRoundTripAndRegionSizeChecks) {
  LinearCase c;
  c.build(archWith({Format{FormatKind::CSR}}));
  Program p;
  p.image = c.image;
  p.buffers = {{BufferKind::Weights, c.image.size(), {}, 0},
               {BufferKind::Input, c.x.size() * 4, {c.B, c.K}, 0},
               {BufferKind::Output, c.y.size() * 4, {c.B, c.M}, 0}};
  p.launches = {c.launch};
  p.launchBuffers = {{0, 1, 2}};
  std::vector<uint8_t> bytes;
  encodeProgram(p, bytes);
  Program back;
  std::string error;
  ASSERT_TRUE(decodeProgram(bytes.data(), bytes.size(), back, error)) << error;
  EXPECT_EQ(back.image, p.image);
  EXPECT_EQ(back.buffers[2].shape, (std::vector<uint32_t>{c.B, c.M}));
  for (size_t n = 0; n < bytes.size(); n += 13)
    EXPECT_FALSE(decodeProgram(bytes.data(), n, back, error)) << n;
  p.launchBuffers = {{0, 2, 1}}; // sizes no longer match
  bytes.clear();
  encodeProgram(p, bytes);
  EXPECT_FALSE(decodeProgram(bytes.data(), bytes.size(), back, error));
  EXPECT_NE(error.find("region 1"), std::string::npos) << error;
}

TEST(AccelArch, PresetsAreValidAndSparsePEsCostArea) {
  for (const std::string &name : presetNames()) {
    Arch a;
    ASSERT_TRUE(getPreset(name, a)) << name;
    EXPECT_EQ(a.validate(), "") << name;
  }
  Arch a;
  EXPECT_FALSE(getPreset("tpu", a));
  Arch dense = archWith({Format{FormatKind::Dense}});
  Arch sparse = archWith({Format{FormatKind::Dense}, Format{FormatKind::CSR}});
  EXPECT_GT(sparse.areaMM2(), dense.areaMM2());
  Arch bad;
  bad.peRows = 0;
  EXPECT_NE(bad.validate().find("pe_rows"), std::string::npos);
}

TEST(AccelCAPI, LaunchStatsAndErrors) {
  LinearCase c;
  c.build(archWith({Format{FormatKind::CSR}}));
  std::vector<uint8_t> bytes;
  encodeLaunch(c.launch, bytes);
  void *regions[] = {c.image.data(), c.x.data(), c.y.data()};
  sacc_reset();
  ASSERT_EQ(sacc_launch(bytes.data(), bytes.size(), regions,
                        c.launch.regionBytes.data(), 3),
            0)
      << sacc_last_error();
  c.expectCorrect();
  EXPECT_NE(std::string(sacc_stats_json()).find("\"launches\": 1"),
            std::string::npos);
  EXPECT_NE(std::string(sacc_stats_text()).find("compute"), std::string::npos);
  uint64_t wrong[] = {1, 2, 3};
  EXPECT_EQ(sacc_launch(bytes.data(), bytes.size(), regions, wrong, 3), -1);
  EXPECT_NE(std::string(sacc_last_error()).find("region 0"), std::string::npos);
  sacc_reset();
  EXPECT_STREQ(sacc_last_error(), "");
}

} // namespace
