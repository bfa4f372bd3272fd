//===- Formats.cpp - Weight tile formats of the accelerator ---------------===//
//
// Part of SparseNN. Packing (the compiler) and validating decoding (the
// simulator) of each weight tile format; layouts in Accel.h and
// docs/AccelCommands.md.
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Accel.h"

#include <cstring>

namespace sparsenn::accel {

std::string Format::str() const {
  switch (kind) {
  case FormatKind::Dense:
    return "dense";
  case FormatKind::CSR:
    return "csr";
  case FormatKind::Bitmap:
    return "bitmap";
  case FormatKind::NM:
    return "nm<" + std::to_string(a) + "," + std::to_string(b) + ">";
  case FormatKind::Block:
    return "block<" + std::to_string(a) + "," + std::to_string(b) + ">";
  }
  return "unknown(" + std::to_string(static_cast<int>(kind)) + ")";
}

bool Format::valid() const {
  switch (kind) {
  case FormatKind::Dense:
  case FormatKind::CSR:
  case FormatKind::Bitmap:
    return a == 0 && b == 0;
  case FormatKind::NM:
    return a > 0 && a < b && b <= 16;
  case FormatKind::Block:
    return a >= 1 && b >= 1 && a <= 64 && b <= 64;
  }
  return false;
}

bool parseFormat(std::string_view text, Format &out) {
  auto two = [&](std::string_view prefix, FormatKind kind) {
    if (text.substr(0, prefix.size()) != prefix || text.back() != '>')
      return false;
    std::string body(
        text.substr(prefix.size(), text.size() - prefix.size() - 1));
    unsigned x, y;
    char tail;
    if (sscanf(body.c_str(), "%u,%u%c", &x, &y, &tail) != 2 || x > 255 ||
        y > 255)
      return false;
    out = Format{kind, static_cast<uint8_t>(x), static_cast<uint8_t>(y)};
    return out.valid();
  };
  if (text == "dense" || text == "csr" || text == "bitmap") {
    out = Format{text == "dense" ? FormatKind::Dense
                 : text == "csr" ? FormatKind::CSR
                                 : FormatKind::Bitmap};
    return true;
  }
  return two("nm<", FormatKind::NM) || two("block<", FormatKind::Block);
}

namespace {

template <typename T> void put(std::vector<uint8_t> &out, T v) {
  size_t at = out.size();
  out.resize(at + sizeof(T));
  memcpy(out.data() + at, &v, sizeof(T));
}
void padTo4(std::vector<uint8_t> &out, size_t base) {
  while ((out.size() - base) % 4)
    out.push_back(0);
}
template <typename T> T get(const uint8_t *p) {
  T v;
  memcpy(&v, p, sizeof(T));
  return v;
}
uint64_t align4(uint64_t n) { return (n + 3) & ~uint64_t(3); }

} // namespace

bool packTile(Format fmt, const float *w, int64_t ld, uint32_t rows,
              uint32_t cols, std::vector<uint8_t> &out, std::string &error) {
  if (!fmt.valid()) {
    error = "invalid format " + fmt.str();
    return false;
  }
  size_t base = out.size();
  auto at = [&](uint32_t r, uint32_t c) { return w[int64_t(r) * ld + c]; };
  switch (fmt.kind) {
  case FormatKind::Dense:
    for (uint32_t r = 0; r < rows; ++r)
      for (uint32_t c = 0; c < cols; ++c)
        put<float>(out, at(r, c));
    return true;
  case FormatKind::CSR: {
    if (cols > 65536) {
      error = "a csr tile has at most 65536 columns (16-bit indices)";
      return false;
    }
    std::vector<uint16_t> col;
    std::vector<float> val;
    put<uint32_t>(out, 0);
    for (uint32_t r = 0; r < rows; ++r) {
      for (uint32_t c = 0; c < cols; ++c)
        if (at(r, c) != 0.0f) {
          col.push_back(static_cast<uint16_t>(c));
          val.push_back(at(r, c));
        }
      put<uint32_t>(out, static_cast<uint32_t>(col.size()));
    }
    for (uint16_t c : col)
      put<uint16_t>(out, c);
    padTo4(out, base);
    for (float v : val)
      put<float>(out, v);
    return true;
  }
  case FormatKind::Bitmap: {
    uint64_t n = uint64_t(rows) * cols;
    size_t maskAt = out.size();
    out.resize(maskAt + (n + 7) / 8, 0);
    std::vector<float> val;
    for (uint64_t i = 0; i < n; ++i)
      if (float v = at(i / cols, i % cols); v != 0.0f) {
        out[maskAt + i / 8] |= uint8_t(1u << (i % 8));
        val.push_back(v);
      }
    padTo4(out, base);
    for (float v : val)
      put<float>(out, v);
    return true;
  }
  case FormatKind::NM: {
    uint32_t n = fmt.a, m = fmt.b;
    if (cols % m) {
      error = "a " + fmt.str() + " tile needs its columns (" +
              std::to_string(cols) + ") to be a multiple of " +
              std::to_string(m);
      return false;
    }
    std::vector<float> val;
    std::vector<uint8_t> idx;
    for (uint32_t r = 0; r < rows; ++r)
      for (uint32_t g = 0; g < cols; g += m) {
        uint32_t kept = 0;
        for (uint32_t j = 0; j < m; ++j)
          if (at(r, g + j) != 0.0f) {
            if (++kept > n) {
              error = "row " + std::to_string(r) + " has more than " +
                      std::to_string(n) + " nonzeros in the group of " +
                      std::to_string(m) + " at column " + std::to_string(g);
              return false;
            }
            val.push_back(at(r, g + j));
            idx.push_back(static_cast<uint8_t>(j));
          }
        // Pad the group with zeros at unused positions.
        for (uint32_t j = 0; kept < n; ++j)
          if (at(r, g + j) == 0.0f) {
            val.push_back(0.0f);
            idx.push_back(static_cast<uint8_t>(j));
            ++kept;
          }
      }
    for (float v : val)
      put<float>(out, v);
    for (uint8_t i : idx)
      out.push_back(i);
    return true;
  }
  case FormatKind::Block: {
    uint32_t br = fmt.a, bc = fmt.b;
    if (rows % br || cols % bc) {
      error = "a " + fmt.str() + " tile needs its shape (" +
              std::to_string(rows) + "x" + std::to_string(cols) +
              ") to be a multiple of the block";
      return false;
    }
    if (cols / bc > 65536) {
      error = "a block tile has at most 65536 block columns";
      return false;
    }
    std::vector<uint16_t> bcol;
    std::vector<float> val;
    put<uint32_t>(out, 0);
    for (uint32_t r0 = 0; r0 < rows; r0 += br) {
      for (uint32_t c0 = 0; c0 < cols; c0 += bc) {
        bool any = false;
        for (uint32_t i = 0; i < br && !any; ++i)
          for (uint32_t j = 0; j < bc && !any; ++j)
            any = at(r0 + i, c0 + j) != 0.0f;
        if (!any)
          continue;
        bcol.push_back(static_cast<uint16_t>(c0 / bc));
        for (uint32_t i = 0; i < br; ++i)
          for (uint32_t j = 0; j < bc; ++j)
            val.push_back(at(r0 + i, c0 + j));
      }
      put<uint32_t>(out, static_cast<uint32_t>(bcol.size()));
    }
    for (uint16_t c : bcol)
      put<uint16_t>(out, c);
    padTo4(out, base);
    for (float v : val)
      put<float>(out, v);
    return true;
  }
  }
  error = "invalid format";
  return false;
}

bool forEachTileValue(
    Format fmt, const uint8_t *data, uint64_t bytes, uint32_t rows,
    uint32_t cols, const std::function<void(uint32_t, uint32_t, float)> &visit,
    std::string &error) {
  auto fail = [&](const std::string &why) {
    error = fmt.str() + " weight tile " + std::to_string(rows) + "x" +
            std::to_string(cols) + " of " + std::to_string(bytes) +
            " bytes: " + why;
    return false;
  };
  if (!fmt.valid())
    return fail("invalid format");
  uint64_t n = uint64_t(rows) * cols;
  switch (fmt.kind) {
  case FormatKind::Dense: {
    if (bytes != n * 4)
      return fail("expected " + std::to_string(n * 4) + " bytes");
    for (uint64_t i = 0; i < n; ++i)
      visit(i / cols, i % cols, get<float>(data + 4 * i));
    return true;
  }
  case FormatKind::CSR:
  case FormatKind::Block: {
    bool block = fmt.kind == FormatKind::Block;
    uint32_t br = block ? fmt.a : 1, bc = block ? fmt.b : 1;
    if (rows % br || cols % bc)
      return fail("shape is not a multiple of the block");
    uint32_t prow = rows / br, pcol = cols / bc;
    uint64_t ptrBytes = 4 * (uint64_t(prow) + 1);
    if (bytes < ptrBytes)
      return fail("truncated row pointers");
    uint32_t nnz = get<uint32_t>(data + 4 * uint64_t(prow));
    uint64_t valsAt = align4(ptrBytes + 2 * uint64_t(nnz));
    uint64_t per = uint64_t(br) * bc;
    if (get<uint32_t>(data) != 0 || uint64_t(nnz) > uint64_t(prow) * pcol ||
        valsAt + 4 * per * nnz != bytes)
      return fail("row pointers do not match the size (" + std::to_string(nnz) +
                  " entries)");
    for (uint32_t r = 0; r < prow; ++r) {
      uint32_t lo = get<uint32_t>(data + 4 * uint64_t(r));
      uint32_t hi = get<uint32_t>(data + 4 * (uint64_t(r) + 1));
      if (lo > hi || hi > nnz)
        return fail("row pointers are not monotonic at row " +
                    std::to_string(r));
      for (uint32_t e = lo; e < hi; ++e) {
        uint32_t c = get<uint16_t>(data + ptrBytes + 2 * uint64_t(e));
        if (c >= pcol)
          return fail("column index " + std::to_string(c) + " out of range");
        const uint8_t *v = data + valsAt + 4 * per * e;
        for (uint32_t i = 0; i < br; ++i)
          for (uint32_t j = 0; j < bc; ++j)
            visit(r * br + i, c * bc + j,
                  get<float>(v + 4 * (uint64_t(i) * bc + j)));
      }
    }
    return true;
  }
  case FormatKind::Bitmap: {
    uint64_t maskBytes = (n + 7) / 8;
    if (bytes < align4(maskBytes))
      return fail("truncated mask");
    uint64_t count = 0;
    for (uint64_t i = 0; i < n; ++i)
      count += (data[i / 8] >> (i % 8)) & 1;
    uint64_t valsAt = align4(maskBytes);
    if (valsAt + 4 * count != bytes)
      return fail("the mask has " + std::to_string(count) +
                  " bits set, which does not match the size");
    uint64_t e = 0;
    for (uint64_t i = 0; i < n; ++i)
      if ((data[i / 8] >> (i % 8)) & 1)
        visit(i / cols, i % cols, get<float>(data + valsAt + 4 * e++));
    return true;
  }
  case FormatKind::NM: {
    uint32_t nn = fmt.a, m = fmt.b;
    if (cols % m)
      return fail("columns are not a multiple of " + std::to_string(m));
    uint64_t count = uint64_t(rows) * (cols / m) * nn;
    if (bytes != 5 * count)
      return fail("expected " + std::to_string(5 * count) + " bytes");
    const uint8_t *idx = data + 4 * count;
    uint64_t e = 0;
    for (uint32_t r = 0; r < rows; ++r)
      for (uint32_t g = 0; g < cols; g += m)
        for (uint32_t j = 0; j < nn; ++j, ++e) {
          if (idx[e] >= m)
            return fail("group index " + std::to_string(idx[e]) +
                        " out of range");
          visit(r, g + idx[e], get<float>(data + 4 * e));
        }
    return true;
  }
  }
  return fail("invalid format");
}

} // namespace sparsenn::accel
