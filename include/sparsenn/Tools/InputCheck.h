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

#include <regex>
#include <set>
#include <string>
#include <utility>

namespace sparsenn {

/// A `#sparse_tensor.encoding` whose map has `d floordiv N` without
/// `d mod N` (or the reverse) segfaults the encoding parser
/// (mlir::sparse_tensor::inverseBlockSparsity; mlir-opt crashes the same).
inline std::string checkSparseEncodingMaps(llvm::StringRef source) {
  static const std::regex mapRe(R"(map\s*=\s*\([^)]*\)\s*->\s*\(([^)]*)\))");
  static const std::regex opRe(
      R"(([A-Za-z_][A-Za-z0-9_]*)\s+(floordiv|mod)\s+(\d+))");
  std::string text = source.str();
  size_t pos = 0;
  while ((pos = text.find("sparse_tensor.encoding", pos)) !=
         std::string::npos) {
    size_t end = text.find("}>", pos);
    std::string body = text.substr(
        pos, end == std::string::npos ? std::string::npos : end - pos);
    std::smatch map;
    if (std::regex_search(body, map, mapRe)) {
      std::set<std::pair<std::string, std::string>> divs, mods;
      std::string results = map[1].str();
      for (std::sregex_iterator it(results.begin(), results.end(), opRe), e;
           it != e; ++it)
        ((*it)[2] == "floordiv" ? divs : mods)
            .insert({(*it)[1].str(), (*it)[3].str()});
      if (divs != mods) {
        size_t line = 1 + std::count(text.begin(), text.begin() + pos, '\n');
        return std::to_string(line) + ": sparse encoding map '" + map[0].str() +
               "': every 'd floordiv N' needs a matching 'd mod N' and the "
               "reverse (MLIR 22's parser crashes on this map)";
      }
    }
    pos += 1;
  }
  return "";
}

} // namespace sparsenn

#endif // SPARSENN_TOOLS_INPUTCHECK_H
