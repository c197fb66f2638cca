//===--- StatsReport.cpp - what the model recognised (--stats) ------------===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#include "Writers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include <map>

using namespace llvm;

namespace concheck {
namespace cli {

static std::string listed(const std::map<std::string, unsigned> &M) {
  std::string Out;
  for (const auto &[Name, Count] : M)
    Out += (Out.empty() ? "" : ", ") + Name + " " + std::to_string(Count);
  return Out.empty() ? "none" : Out;
}

void writeStats(llvm::raw_ostream &OS,
                llvm::ArrayRef<std::pair<std::string, model::Coverage>> Files,
                const FactsStats &Facts, const OutputOptions &Out) {
  model::Coverage Total;
  OS << "concheck: what the analysis modelled\n";
  for (const auto &[File, C] : Files) {
    Total.merge(C);
    std::string Kinds;
    for (const auto &[Kind, Names] : C.Spawns)
      Kinds += (Kinds.empty() ? " (" : ", ") + Kind + " " +
               std::to_string(model::Coverage::total(Names));
    if (!Kinds.empty())
      Kinds += ")";
    const unsigned Starts = C.spawnCount();
    const unsigned Joins = model::Coverage::total(C.Joins);
    const unsigned Locks = model::Coverage::total(C.Mutexes);
    const unsigned Guards = model::Coverage::total(C.Guards);
    OS << "  " << displayPath(File, Out.Root) << ": " << Starts << " task "
       << (Starts == 1 ? "start" : "starts") << Kinds << ", " << Joins
       << (Joins == 1 ? " join" : " joins") << ", " << Locks << " lock "
       << (Locks == 1 ? "site" : "sites") << ", " << Guards
       << (Guards == 1 ? " guard" : " guards") << "\n";
  }
  OS << "  all " << Files.size() << (Files.size() == 1 ? " file" : " files")
     << ": " << Total.spawnCount() << " task starts\n";
  for (const char *Kind :
       {"std", "concheck", "executor", "inferred", "configured", "openmp"}) {
    auto It = Total.Spawns.find(Kind);
    if (It == Total.Spawns.end() && llvm::StringRef(Kind) == "openmp")
      continue; // only code built with -fopenmp has any
    OS << "    " << Kind << ": "
       << (It == Total.Spawns.end() ? std::string("none") : listed(It->second))
       << "\n";
  }
  OS << "    joins: " << listed(Total.Joins) << "\n";
  OS << "    mutexes: " << listed(Total.Mutexes) << "\n";
  OS << "    guards: " << listed(Total.Guards) << "\n";
  OS << "  project facts: " << Facts.Functions
     << (Facts.Functions == 1 ? " function" : " functions") << "; "
     << Facts.CheckedAgain << " of " << Files.size()
     << (Files.size() == 1 ? " file" : " files") << " checked again\n";
}

llvm::json::Value
statsToJson(llvm::ArrayRef<std::pair<std::string, model::Coverage>> Files,
            const FactsStats &Facts, const OutputOptions &Out) {
  model::Coverage Total;
  llvm::json::Object PerFile;
  for (const auto &[File, C] : Files) {
    Total.merge(C);
    PerFile[displayPath(File, Out.Root)] = C.toJson();
  }
  // Every task start, in the files checked and the headers they include.
  llvm::json::Array Sites;
  for (const auto &[File, Line, Kind, Via] : Total.Sites)
    Sites.push_back(llvm::json::Object{{"file", displayPath(File, Out.Root)},
                                       {"line", int64_t(Line)},
                                       {"kind", Kind},
                                       {"via", Via}});
  return llvm::json::Object{
      {"files", std::move(PerFile)},
      {"total", Total.toJson()},
      {"sites", std::move(Sites)},
      {"facts",
       llvm::json::Object{{"functions", int64_t(Facts.Functions)},
                          {"checked_again", int64_t(Facts.CheckedAgain)}}}};
}

} // namespace cli
} // namespace concheck
