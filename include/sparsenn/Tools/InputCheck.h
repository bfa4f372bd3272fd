//===- InputCheck.h - Inputs that crash MLIR 22's parser --------*- C++ -*-===//
//
// Part of SparseNN. Text-level checks the tools run before handing a file to
// MLIR's parser, for inputs that crash Debian's MLIR 22 instead of producing a
// diagnostic (found by tools/fuzz). Each returns "LINE: message", or an
// empty string.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_TOOLS_INPUTCHECK_H
#define SPARSENN_TOOLS_INPUTCHECK_H

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <utility>

namespace sparsenn {

/// A NUL byte in an MLIR text file: MLIR's lexer skips it like whitespace,
/// so `#sparse_tensor.<NUL>encoding` parses as an encoding the checks below
/// do not see (found by tools/fuzz: the encoding-map crash behind NULs).
/// MLIR bytecode (which starts with "ML\xefR") is binary and not checked.
inline std::string checkNulBytes(llvm::StringRef source) {
  if (source.starts_with("ML\xefR"))
    return "";
  size_t nul = source.find('\0');
  if (nul == llvm::StringRef::npos)
    return "";
  return std::to_string(1 + source.take_front(nul).count('\n')) +
         ": a NUL byte in MLIR text (MLIR 22's lexer skips it like "
         "whitespace, hiding what follows from these checks)";
}

/// The length of what MLIR's lexer skips at `i` as one piece: a whitespace
/// character or NUL byte (1), a `//` comment up to its newline, or 0 at a
/// token. Callers outside strings only.
inline size_t lexedSpaceAt(llvm::StringRef source, size_t i) {
  if (i >= source.size())
    return 0;
  char c = source[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0')
    return 1;
  if (c == '/' && i + 1 < source.size() && source[i + 1] == '/') {
    size_t end = source.find('\n', i);
    return (end == llvm::StringRef::npos ? source.size() : end) - i;
  }
  return 0;
}

/// The first position from `i` on that is not whitespace, a NUL byte or
/// in a `//` comment: where MLIR's lexer finds the next token.
inline size_t skipLexedSpace(llvm::StringRef source, size_t i) {
  while (size_t n = lexedSpaceAt(source, i))
    i += n;
  return i;
}

/// The text from `pos` on as MLIR's lexer sees it, up to the first `}>`
/// (included) or `limit` characters: comments (`//` to the end of the line,
/// outside strings) and NUL bytes become spaces, which the lexer skips
/// between tokens, so the checks below see through them.
inline std::string lexedWindow(llvm::StringRef source, size_t pos,
                               size_t limit = 1 << 20) {
  std::string out;
  bool inString = false;
  for (size_t i = pos; i < source.size() && out.size() < limit; ++i) {
    char c = source[i];
    if (inString) {
      out += c;
      if (c == '\\' && i + 1 < source.size())
        out += source[++i];
      else if (c == '"' || c == '\n')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '\0' || (c == '/' && lexedSpaceAt(source, i) > 1)) {
      // A NUL byte or a comment (up to, not including, its newline).
      i += lexedSpaceAt(source, i) - 1;
      c = ' ';
    }
    out += c;
    if (c == '>' && out.size() >= 2 && out[out.size() - 2] == '}')
      break;
  }
  return out;
}

/// A `#sparse_tensor.encoding` whose map has `d floordiv N` without
/// `d mod N` (or the reverse) segfaults the encoding parser
/// (mlir::sparse_tensor::inverseBlockSparsity; mlir-opt crashes the same).
/// Whitespace, comments and NUL bytes between the tokens are seen through
/// (tools/fuzz hid the map behind each). Only the encodings' text is
/// copied, not the file (inputs with weight blobs are hundreds of MB).
inline std::string checkSparseEncodingMaps(llvm::StringRef source) {
  static const std::regex mapRe(R"(map\s*=\s*\([^)]*\)\s*->\s*\(([^)]*)\))");
  static const std::regex opRe(
      R"(([A-Za-z_][A-Za-z0-9_]*)\s+(floordiv|mod)\s+(\d+))");
  constexpr llvm::StringLiteral kDialect = "sparse_tensor";
  for (size_t pos = source.find(kDialect); pos != llvm::StringRef::npos;
       pos = source.find(kDialect, pos + kDialect.size())) {
    // `sparse_tensor` `.` or `<`, then `encoding` (most occurrences are
    // ops: sparse_tensor.values, ...).
    size_t at = skipLexedSpace(source, pos + kDialect.size());
    if (at >= source.size() || (source[at] != '.' && source[at] != '<'))
      continue;
    at = skipLexedSpace(source, at + 1);
    if (!source.substr(at).starts_with("encoding"))
      continue;
    std::string body = lexedWindow(source, pos);
    std::smatch map;
    if (!std::regex_search(body, map, mapRe))
      continue;
    std::set<std::pair<std::string, std::string>> divs, mods;
    std::string results = map[1].str();
    for (std::sregex_iterator it(results.begin(), results.end(), opRe), e;
         it != e; ++it)
      ((*it)[2] == "floordiv" ? divs : mods)
          .insert({(*it)[1].str(), (*it)[3].str()});
    if (divs != mods) {
      std::string shown = map[0].str();
      std::replace_if(
          shown.begin(), shown.end(), [](char c) { return c == '\n'; }, ' ');
      return std::to_string(1 + source.take_front(pos).count('\n')) +
             ": sparse encoding map '" + shown +
             "': every 'd floordiv N' needs a matching 'd mod N' and the "
             "reverse (MLIR 22's parser crashes on this map)";
    }
  }
  return "";
}

/// A string in the file metadata (`{-# dialect_resources: ... #-}`, whose
/// hex blobs hold the weights) that the file ends inside: MLIR 22's parser
/// reads past the end of the buffer on some of these (found by tools/fuzz
/// under ASan: a 987-byte truncated weight blob; other lengths give the
/// diagnostic). Blobs have no escapes, so an odd number of quotes after the
/// `{-#` means the last one is not closed.
inline std::string checkResourceStrings(llvm::StringRef source) {
  size_t start = source.find("{-#");
  if (start == llvm::StringRef::npos)
    return "";
  llvm::StringRef metadata = source.substr(start);
  if (metadata.count('"') % 2 == 0)
    return "";
  size_t lastQuote = source.rfind('"');
  return std::to_string(1 + source.take_front(lastQuote).count('\n')) +
         ": the file ends inside a string of its resources section (a "
         "truncated weight blob?)";
}

/// A hex blob in the file metadata whose first 4 bytes (the alignment of
/// the data, little-endian) are zero: MLIR 22's parser rejects other
/// alignments that are not powers of two with a diagnostic, but passes 0 to
/// the allocator, which aborts (found by tools/fuzz; mlir-opt crashes the
/// same).
inline std::string checkResourceAlignments(llvm::StringRef source) {
  size_t start = source.find("{-#");
  if (start == llvm::StringRef::npos)
    return "";
  constexpr llvm::StringLiteral kBlob = "\"0x";
  // From one blob to the next past its closing quote (a fast byte search:
  // blobs are most of a file's size).
  for (size_t pos = source.find(kBlob, start); pos != llvm::StringRef::npos;
       pos = source.find(kBlob, source.find('"', pos + kBlob.size()))) {
    llvm::StringRef alignment = source.substr(pos + kBlob.size(), 8);
    if (alignment.size() == 8 &&
        alignment.find_first_not_of('0') == llvm::StringRef::npos)
      return std::to_string(1 + source.take_front(pos).count('\n')) +
             ": a resource blob whose alignment (its first 4 bytes) is 0; "
             "it must be a power of two (MLIR 22's parser crashes on 0)";
  }
  return "";
}

/// Every check above, in order: the first problem found, or "".
inline std::string checkInput(llvm::StringRef source) {
  for (auto check : {checkNulBytes, checkSparseEncodingMaps,
                     checkResourceStrings, checkResourceAlignments})
    if (std::string problem = check(source); !problem.empty())
      return problem;
  return "";
}

} // namespace sparsenn

#endif // SPARSENN_TOOLS_INPUTCHECK_H
