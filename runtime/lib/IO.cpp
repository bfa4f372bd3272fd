//===- IO.cpp - SparseNN runtime: .npy and Matrix Market files ------------===//
//
// Part of SparseNN. C ABI over C++; no MLIR/LLVM dependency.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/IO.h"

#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace {

void setError(char *err, size_t errLen, const char *fmt, ...) {
  if (!err || errLen == 0)
    return;
  va_list args;
  va_start(args, fmt);
  vsnprintf(err, errLen, fmt, args);
  va_end(args);
}

/// Reads the whole file; fails on unreadable files.
bool readFile(const char *path, std::string &contents, char *err,
              size_t errLen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    setError(err, errLen, "cannot open '%s': %s", path, strerror(errno));
    return false;
  }
  contents.clear();
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    contents.append(buf, n);
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    setError(err, errLen, "cannot read '%s'", path);
    return false;
  }
  return true;
}

/// Skips spaces in `s` from `i`.
void skipSpaces(const std::string &s, size_t &i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
    ++i;
}

/// Finds `'key':` in a .npy header dict and returns the index after it.
bool findKey(const std::string &header, const char *key, size_t &pos) {
  std::string quoted1 = std::string("'") + key + "'";
  std::string quoted2 = std::string("\"") + key + "\"";
  size_t k = header.find(quoted1);
  size_t len = quoted1.size();
  if (k == std::string::npos) {
    k = header.find(quoted2);
    len = quoted2.size();
  }
  if (k == std::string::npos)
    return false;
  pos = k + len;
  skipSpaces(header, pos);
  if (pos >= header.size() || header[pos] != ':')
    return false;
  ++pos;
  skipSpaces(header, pos);
  return true;
}

bool checkedMul(int64_t a, int64_t b, int64_t &out) {
  return !__builtin_mul_overflow(a, b, &out);
}

} // namespace

extern "C" {

size_t snn_dtype_size(snn_dtype dtype) {
  switch (dtype) {
  case SNN_DTYPE_F32:
  case SNN_DTYPE_I32:
    return 4;
  case SNN_DTYPE_F64:
  case SNN_DTYPE_I64:
    return 8;
  }
  return 0;
}

const char *snn_dtype_name(snn_dtype dtype) {
  switch (dtype) {
  case SNN_DTYPE_F32:
    return "f32";
  case SNN_DTYPE_F64:
    return "f64";
  case SNN_DTYPE_I32:
    return "i32";
  case SNN_DTYPE_I64:
    return "i64";
  }
  return "?";
}

int snn_array_alloc(snn_array *out, snn_dtype dtype, int32_t rank,
                    const int64_t *shape, char *err, size_t errLen) {
  memset(out, 0, sizeof(*out));
  if (rank < 0 || rank > SNN_MAX_RANK) {
    setError(err, errLen, "rank %d is outside [0, %d]", rank, SNN_MAX_RANK);
    return -1;
  }
  int64_t n = 1;
  for (int32_t d = 0; d < rank; ++d) {
    if (shape[d] < 0 || !checkedMul(n, shape[d], n)) {
      setError(err, errLen, "invalid or too large shape");
      return -1;
    }
  }
  int64_t bytes;
  if (!checkedMul(n, static_cast<int64_t>(snn_dtype_size(dtype)), bytes) ||
      bytes > (int64_t(1) << 46)) {
    setError(err, errLen, "array of %lld elements is too large",
             static_cast<long long>(n));
    return -1;
  }
  size_t alloc = (static_cast<size_t>(bytes) + 63) / 64 * 64;
  void *data = aligned_alloc(64, alloc ? alloc : 64);
  if (!data) {
    setError(err, errLen, "out of memory allocating %lld bytes",
             static_cast<long long>(bytes));
    return -1;
  }
  memset(data, 0, alloc ? alloc : 64);
  out->dtype = dtype;
  out->rank = rank;
  for (int32_t d = 0; d < rank; ++d)
    out->shape[d] = shape[d];
  out->num_elements = n;
  out->data = data;
  return 0;
}

void snn_array_free(snn_array *array) {
  if (!array)
    return;
  free(array->data);
  array->data = nullptr;
}

int snn_npy_read(const char *path, snn_array *out, char *err, size_t errLen) {
  memset(out, 0, sizeof(*out));
  std::string file;
  if (!readFile(path, file, err, errLen))
    return -1;
  static const char magic[] = "\x93NUMPY";
  if (file.size() < 10 || memcmp(file.data(), magic, 6) != 0) {
    setError(err, errLen, "'%s' is not a .npy file (bad magic)", path);
    return -1;
  }
  unsigned major = static_cast<unsigned char>(file[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(file[8]) |
                (static_cast<unsigned char>(file[9]) << 8);
    headerStart = 10;
  } else if (major == 2) {
    if (file.size() < 12) {
      setError(err, errLen, "'%s': truncated .npy header", path);
      return -1;
    }
    headerLen = 0;
    for (int k = 0; k < 4; ++k)
      headerLen |= size_t(static_cast<unsigned char>(file[8 + k])) << (8 * k);
    headerStart = 12;
  } else {
    setError(err, errLen, "'%s': unsupported .npy format version %u", path,
             major);
    return -1;
  }
  if (headerStart + headerLen > file.size()) {
    setError(err, errLen, "'%s': truncated .npy header", path);
    return -1;
  }
  std::string header = file.substr(headerStart, headerLen);

  // 'descr'
  size_t pos;
  if (!findKey(header, "descr", pos) || pos >= header.size() ||
      (header[pos] != '\'' && header[pos] != '"')) {
    setError(err, errLen, "'%s': .npy header has no 'descr'", path);
    return -1;
  }
  char quote = header[pos];
  size_t end = header.find(quote, pos + 1);
  if (end == std::string::npos) {
    setError(err, errLen, "'%s': malformed .npy header", path);
    return -1;
  }
  std::string descr = header.substr(pos + 1, end - pos - 1);
  snn_dtype dtype;
  if (descr == "<f4")
    dtype = SNN_DTYPE_F32;
  else if (descr == "<f8")
    dtype = SNN_DTYPE_F64;
  else if (descr == "<i4")
    dtype = SNN_DTYPE_I32;
  else if (descr == "<i8")
    dtype = SNN_DTYPE_I64;
  else {
    setError(err, errLen,
             "'%s': unsupported .npy dtype '%s' (expected little-endian "
             "<f4, <f8, <i4 or <i8)",
             path, descr.c_str());
    return -1;
  }

  // 'fortran_order'
  if (!findKey(header, "fortran_order", pos)) {
    setError(err, errLen, "'%s': .npy header has no 'fortran_order'", path);
    return -1;
  }
  if (header.compare(pos, 4, "True") == 0) {
    setError(err, errLen,
             "'%s': Fortran-order .npy arrays are not supported (save a "
             "C-contiguous array)",
             path);
    return -1;
  }
  if (header.compare(pos, 5, "False") != 0) {
    setError(err, errLen, "'%s': malformed 'fortran_order'", path);
    return -1;
  }

  // 'shape'
  if (!findKey(header, "shape", pos) || pos >= header.size() ||
      header[pos] != '(') {
    setError(err, errLen, "'%s': .npy header has no 'shape'", path);
    return -1;
  }
  ++pos;
  int64_t shape[SNN_MAX_RANK];
  int32_t rank = 0;
  while (true) {
    skipSpaces(header, pos);
    if (pos >= header.size()) {
      setError(err, errLen, "'%s': malformed 'shape'", path);
      return -1;
    }
    if (header[pos] == ')')
      break;
    if (header[pos] < '0' || header[pos] > '9') {
      setError(err, errLen, "'%s': malformed 'shape'", path);
      return -1;
    }
    errno = 0;
    char *numEnd;
    long long dim = strtoll(header.c_str() + pos, &numEnd, 10);
    if (errno == ERANGE) {
      setError(err, errLen, "'%s': shape dimension out of range", path);
      return -1;
    }
    if (rank == SNN_MAX_RANK) {
      setError(err, errLen, "'%s': rank above %d", path, SNN_MAX_RANK);
      return -1;
    }
    shape[rank++] = dim;
    pos = numEnd - header.c_str();
    skipSpaces(header, pos);
    if (pos < header.size() && header[pos] == ',')
      ++pos;
  }

  int64_t n = 1;
  for (int32_t d = 0; d < rank; ++d)
    if (!checkedMul(n, shape[d], n)) {
      setError(err, errLen, "'%s': shape too large", path);
      return -1;
    }
  size_t itemSize = snn_dtype_size(dtype);
  size_t dataStart = headerStart + headerLen;
  size_t available = file.size() - dataStart;
  int64_t need;
  if (!checkedMul(n, static_cast<int64_t>(itemSize), need)) {
    // The byte count itself overflows (a fuzzed header): say so rather than
    // compute it.
    setError(err, errLen,
             "'%s': the header promises %lld elements of %zu bytes, more "
             "bytes than a file can hold",
             path, static_cast<long long>(n), itemSize);
    return -1;
  }
  if (static_cast<uint64_t>(need) != available) {
    setError(err, errLen,
             "'%s': the header promises %lld elements (%lld bytes) but the "
             "file holds %zu bytes of data",
             path, static_cast<long long>(n), static_cast<long long>(need),
             available);
    return -1;
  }
  if (snn_array_alloc(out, dtype, rank, shape, err, errLen) != 0)
    return -1;
  memcpy(out->data, file.data() + dataStart, available);
  return 0;
}

int snn_npy_write(const char *path, const snn_array *array, char *err,
                  size_t errLen) {
  static const char *descrs[] = {"<f4", "<f8", "<i4", "<i8"};
  std::string shape = "(";
  for (int32_t d = 0; d < array->rank; ++d)
    shape += std::to_string(array->shape[d]) +
             (array->rank == 1 ? "," : (d + 1 < array->rank ? ", " : ""));
  shape += ")";
  std::string header = std::string("{'descr': '") + descrs[array->dtype] +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so that the data starts at a multiple of 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  FILE *f = fopen(path, "wb");
  if (!f) {
    setError(err, errLen, "cannot write '%s': %s", path, strerror(errno));
    return -1;
  }
  unsigned char pre[10] = {0x93,
                           'N',
                           'U',
                           'M',
                           'P',
                           'Y',
                           1,
                           0,
                           static_cast<unsigned char>(header.size() & 0xff),
                           static_cast<unsigned char>(header.size() >> 8)};
  size_t bytes = array->num_elements * snn_dtype_size(array->dtype);
  bool ok = fwrite(pre, 1, 10, f) == 10 &&
            fwrite(header.data(), 1, header.size(), f) == header.size() &&
            fwrite(array->data, 1, bytes, f) == bytes;
  ok = (fclose(f) == 0) && ok;
  if (!ok) {
    setError(err, errLen, "cannot write '%s'", path);
    return -1;
  }
  return 0;
}

int snn_mtx_read(const char *path, snn_coo *out, char *err, size_t errLen) {
  memset(out, 0, sizeof(*out));
  FILE *f = fopen(path, "r");
  if (!f) {
    setError(err, errLen, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  auto fail = [&](const char *fmt, auto... args) {
    std::string full = std::string("'%s': ") + fmt;
    setError(err, errLen, full.c_str(), path, args...);
    fclose(f);
    free(out->row_indices);
    free(out->col_indices);
    free(out->values);
    memset(out, 0, sizeof(*out));
    return -1;
  };
  char line[4096];
  long lineNo = 1;
  if (!fgets(line, sizeof(line), f))
    return fail("empty file (no Matrix Market banner)");
  char banner[64], object[64], format[64], field[64], symmetry[64];
  if (sscanf(line, "%63s %63s %63s %63s %63s", banner, object, format, field,
             symmetry) != 5 ||
      strcmp(banner, "%%MatrixMarket") != 0)
    return fail("line 1: expected '%%%%MatrixMarket matrix coordinate "
                "<field> <symmetry>'");
  auto lower = [](char *s) {
    for (; *s; ++s)
      *s = static_cast<char>(tolower(static_cast<unsigned char>(*s)));
  };
  lower(object);
  lower(format);
  lower(field);
  lower(symmetry);
  if (strcmp(object, "matrix") != 0 || strcmp(format, "coordinate") != 0)
    return fail("line 1: only 'matrix coordinate' files are supported, got "
                "'%s %s'",
                object, format);
  bool pattern = strcmp(field, "pattern") == 0;
  bool integer = strcmp(field, "integer") == 0;
  if (!pattern && !integer && strcmp(field, "real") != 0)
    return fail("line 1: unsupported field '%s' (expected real, integer or "
                "pattern)",
                field);
  bool symmetric = strcmp(symmetry, "symmetric") == 0;
  if (!symmetric && strcmp(symmetry, "general") != 0)
    return fail("line 1: unsupported symmetry '%s' (expected general or "
                "symmetric)",
                symmetry);

  // Comments, then the size line.
  long long rows = -1, cols = -1, nnz = -1;
  while (fgets(line, sizeof(line), f)) {
    ++lineNo;
    char *p = line;
    while (*p == ' ' || *p == '\t')
      ++p;
    if (*p == '%' || *p == '\n' || *p == '\r' || *p == '\0')
      continue;
    char extra[8];
    if (sscanf(p, "%lld %lld %lld %7s", &rows, &cols, &nnz, extra) != 3)
      return fail("line %ld: expected the size line 'rows cols entries'",
                  lineNo);
    break;
  }
  if (rows < 0)
    return fail("missing the size line 'rows cols entries'");
  if (rows <= 0 || cols <= 0 || nnz < 0)
    return fail("line %ld: invalid sizes %lld x %lld with %lld entries", lineNo,
                rows, cols, nnz);
  if (symmetric && rows != cols)
    return fail("line %ld: a symmetric matrix must be square, got %lld x %lld",
                lineNo, rows, cols);
  long long cells;
  if (__builtin_mul_overflow(rows, cols, &cells) || nnz > cells)
    return fail("line %ld: %lld entries do not fit a %lld x %lld matrix",
                lineNo, nnz, rows, cols);

  std::vector<int64_t> ri, ci;
  std::vector<double> vals;
  long long seen = 0;
  while (fgets(line, sizeof(line), f)) {
    ++lineNo;
    char *p = line;
    while (*p == ' ' || *p == '\t')
      ++p;
    if (*p == '%' || *p == '\n' || *p == '\r' || *p == '\0')
      continue;
    if (seen == nnz)
      return fail("line %ld: more entries than the %lld the size line "
                  "promises",
                  lineNo, nnz);
    char *end;
    errno = 0;
    long long i = strtoll(p, &end, 10);
    if (end == p || errno)
      return fail("line %ld: expected a row index", lineNo);
    p = end;
    long long j = strtoll(p, &end, 10);
    if (end == p || errno)
      return fail("line %ld: expected a column index", lineNo);
    p = end;
    if (i < 1 || i > rows || j < 1 || j > cols)
      return fail("line %ld: index (%lld, %lld) is outside the 1-based "
                  "%lld x %lld matrix",
                  lineNo, i, j, rows, cols);
    double v = 1.0;
    if (!pattern) {
      while (*p == ' ' || *p == '\t')
        ++p;
      v = strtod(p, &end);
      if (end == p)
        return fail("line %ld: expected a value", lineNo);
      if (integer && (std::isnan(v) || std::isinf(v) || v != std::floor(v)))
        return fail("line %ld: '%.*s' is not an integer", lineNo,
                    static_cast<int>(end - p), p);
      p = end;
    }
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
      ++p;
    if (*p != '\0')
      return fail("line %ld: unexpected text '%.20s' after the entry", lineNo,
                  p);
    ri.push_back(i - 1);
    ci.push_back(j - 1);
    vals.push_back(v);
    if (symmetric && i != j) {
      ri.push_back(j - 1);
      ci.push_back(i - 1);
      vals.push_back(v);
    }
    ++seen;
  }
  if (seen != nnz)
    return fail("the size line promises %lld entries but the file has %lld",
                nnz, seen);
  fclose(f);
  size_t count = vals.size();
  out->rows = rows;
  out->cols = cols;
  out->nnz = static_cast<int64_t>(count);
  out->row_indices = static_cast<int64_t *>(malloc(count * 8 + 8));
  out->col_indices = static_cast<int64_t *>(malloc(count * 8 + 8));
  out->values = static_cast<double *>(malloc(count * 8 + 8));
  if (!out->row_indices || !out->col_indices || !out->values) {
    snn_coo_free(out);
    setError(err, errLen, "'%s': out of memory", path);
    return -1;
  }
  if (count) { // An empty vector's data() may be null: no memcpy from it.
    memcpy(out->row_indices, ri.data(), count * 8);
    memcpy(out->col_indices, ci.data(), count * 8);
    memcpy(out->values, vals.data(), count * 8);
  }
  return 0;
}

void snn_coo_free(snn_coo *coo) {
  if (!coo)
    return;
  free(coo->row_indices);
  free(coo->col_indices);
  free(coo->values);
  memset(coo, 0, sizeof(*coo));
}

} // extern "C"
