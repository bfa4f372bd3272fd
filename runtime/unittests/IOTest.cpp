//===- IOTest.cpp - Unit tests of the runtime's file readers --------------===//
//
// Part of SparseNN.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/IO.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace {

std::string tempPath(const char *name) {
  return std::string(::testing::TempDir()) + "/snn_io_" + name;
}

void writeBytes(const std::string &path, const std::string &bytes) {
  FILE *f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  fwrite(bytes.data(), 1, bytes.size(), f);
  fclose(f);
}

/// A .npy v1 file with the given header dict and payload.
std::string npy(const std::string &dict, const std::string &payload) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + payload;
}

TEST(Npy, RoundTrip) {
  int64_t shape[2] = {2, 3};
  snn_array a;
  char err[256];
  ASSERT_EQ(snn_array_alloc(&a, SNN_DTYPE_F32, 2, shape, err, sizeof(err)), 0);
  float *data = static_cast<float *>(a.data);
  for (int i = 0; i < 6; ++i)
    data[i] = i * 0.5f - 1.0f;
  data[5] = NAN;
  std::string path = tempPath("rt.npy");
  ASSERT_EQ(snn_npy_write(path.c_str(), &a, err, sizeof(err)), 0) << err;
  snn_array b;
  ASSERT_EQ(snn_npy_read(path.c_str(), &b, err, sizeof(err)), 0) << err;
  EXPECT_EQ(b.dtype, SNN_DTYPE_F32);
  ASSERT_EQ(b.rank, 2);
  EXPECT_EQ(b.shape[0], 2);
  EXPECT_EQ(b.shape[1], 3);
  const float *got = static_cast<const float *>(b.data);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(got[i], data[i]);
  EXPECT_TRUE(std::isnan(got[5]));
  snn_array_free(&a);
  snn_array_free(&b);
}

TEST(Npy, RejectsTruncatedAndLyingFiles) {
  char err[256];
  snn_array a;
  std::string path = tempPath("bad.npy");
  // Header promises 4 floats, payload has 3.
  writeBytes(path, npy("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (4,), }",
                       std::string(12, '\0')));
  EXPECT_EQ(snn_npy_read(path.c_str(), &a, err, sizeof(err)), -1);
  EXPECT_NE(std::string(err).find("promises 4 elements"), std::string::npos)
      << err;
  writeBytes(path, "\x93NUMPY\x01");
  EXPECT_EQ(snn_npy_read(path.c_str(), &a, err, sizeof(err)), -1);
  writeBytes(path, npy("{'descr': '>f4', 'fortran_order': False, "
                       "'shape': (1,), }",
                       std::string(4, '\0')));
  EXPECT_EQ(snn_npy_read(path.c_str(), &a, err, sizeof(err)), -1);
  EXPECT_NE(std::string(err).find("unsupported .npy dtype"), std::string::npos);
  writeBytes(path, npy("{'descr': '<f4', 'fortran_order': True, "
                       "'shape': (1,), }",
                       std::string(4, '\0')));
  EXPECT_EQ(snn_npy_read(path.c_str(), &a, err, sizeof(err)), -1);
  // A shape whose element count overflows.
  writeBytes(path, npy("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (4294967296, 4294967296, 16), }",
                       ""));
  EXPECT_EQ(snn_npy_read(path.c_str(), &a, err, sizeof(err)), -1);
  // An element count that fits but whose byte count does not (found by
  // fuzzing: the message used to compute the overflowing product).
  writeBytes(path, npy("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (2, 3333330000000000000), }",
                       ""));
  EXPECT_EQ(snn_npy_read(path.c_str(), &a, err, sizeof(err)), -1);
  EXPECT_NE(std::string(err).find("more bytes than a file can hold"),
            std::string::npos)
      << err;
  EXPECT_EQ(snn_npy_read("/nonexistent/x.npy", &a, err, sizeof(err)), -1);
}

TEST(Mtx, GeneralSymmetricPattern) {
  char err[256];
  snn_coo coo;
  std::string path = tempPath("a.mtx");
  writeBytes(path, "%%MatrixMarket matrix coordinate real general\n% c\n"
                   "2 3 2\n1 1 1.5\n2 3 -2e1\n");
  ASSERT_EQ(snn_mtx_read(path.c_str(), &coo, err, sizeof(err)), 0) << err;
  EXPECT_EQ(coo.rows, 2);
  EXPECT_EQ(coo.cols, 3);
  ASSERT_EQ(coo.nnz, 2);
  EXPECT_EQ(coo.row_indices[1], 1);
  EXPECT_EQ(coo.col_indices[1], 2);
  EXPECT_EQ(coo.values[1], -20.0);
  snn_coo_free(&coo);

  writeBytes(path, "%%MatrixMarket matrix coordinate pattern symmetric\n"
                   "3 3 2\n2 1\n3 3\n");
  ASSERT_EQ(snn_mtx_read(path.c_str(), &coo, err, sizeof(err)), 0) << err;
  ASSERT_EQ(coo.nnz, 3); // (2,1) mirrored to (1,2); the diagonal once.
  EXPECT_EQ(coo.values[0], 1.0);
  snn_coo_free(&coo);
}

TEST(Mtx, RejectsBadFiles) {
  char err[256];
  snn_coo coo;
  std::string path = tempPath("bad.mtx");
  const char *bad[] = {
      "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n",
      "%%NotMatrixMarket matrix coordinate real general\n1 1 1\n1 1 1\n",
      "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1.0\n",
      "%%MatrixMarket matrix coordinate real general\n2 2 1\n-1 1 1.0\n",
      "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1.0\n",
      "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1.0\n2 2 1\n",
      "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 abc\n",
      "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n",
      "%%MatrixMarket matrix coordinate real symmetric\n2 3 1\n1 1 1\n",
      "",
  };
  for (const char *text : bad) {
    writeBytes(path, text);
    EXPECT_EQ(snn_mtx_read(path.c_str(), &coo, err, sizeof(err)), -1) << text;
    EXPECT_NE(std::string(err), "") << text;
  }
}

TEST(Mtx, AcceptsNanAndInfValues) {
  char err[256];
  snn_coo coo;
  std::string path = tempPath("nan.mtx");
  writeBytes(path, "%%MatrixMarket matrix coordinate real general\n"
                   "1 2 2\n1 1 nan\n1 2 -inf\n");
  ASSERT_EQ(snn_mtx_read(path.c_str(), &coo, err, sizeof(err)), 0) << err;
  EXPECT_TRUE(std::isnan(coo.values[0]));
  EXPECT_TRUE(std::isinf(coo.values[1]) && coo.values[1] < 0);
  snn_coo_free(&coo);
}

} // namespace

namespace {
// Found by scripts/fuzz.sh (UBSan): a file with zero entries made the reader
// memcpy from an empty vector's null data().
TEST(Mtx, ZeroEntries) {
  char err[256];
  snn_coo coo;
  std::string path = tempPath("empty.mtx");
  writeBytes(path, "%%MatrixMarket matrix coordinate real general\n2 3 0\n");
  ASSERT_EQ(snn_mtx_read(path.c_str(), &coo, err, sizeof(err)), 0) << err;
  EXPECT_EQ(coo.nnz, 0);
  EXPECT_EQ(coo.rows, 2);
  snn_coo_free(&coo);
}
} // namespace
