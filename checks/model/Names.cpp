//===--- Names.cpp - Matching declarations against configured names ------===//

#include "Names.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/PrettyPrinter.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace concheck::model {

std::vector<std::string> splitList(llvm::StringRef List) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  List.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Out;
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (!P.empty())
      Out.push_back(P.str());
  }
  return Out;
}

std::string joinLists(llvm::StringRef A, llvm::StringRef B) {
  if (A.trim().empty())
    return B.str();
  if (B.trim().empty())
    return A.str();
  return (A + ";" + B).str();
}

NameSet::NameSet(llvm::StringRef SemicolonList) {
  for (const std::string &N : splitList(SemicolonList))
    add(N);
}

void NameSet::add(llvm::StringRef Name) {
  Name = Name.trim();
  Name.consume_front("::");
  if (!Name.empty())
    Names.push_back(Name.str());
}

std::string qualifiedName(const NamedDecl *D) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  PrintingPolicy Policy(D->getASTContext().getLangOpts());
  Policy.SuppressInlineNamespace = true;
  Policy.SuppressUnwrittenScope = true;
  D->printQualifiedName(OS, Policy);
  return Out;
}

std::string withoutTemplateArguments(llvm::StringRef Name) {
  std::string Out;
  unsigned Depth = 0;
  for (char C : Name) {
    if (C == '<')
      ++Depth;
    else if (C == '>' && Depth > 0)
      --Depth;
    else if (Depth == 0)
      Out.push_back(C);
  }
  return Out;
}

bool NameSet::contains(const NamedDecl *D) const {
  if (!D || Names.empty() || !D->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Simple = D->getName();
  // Cheap test first: the unqualified name must end one of the entries.
  bool Candidate = false;
  for (const std::string &N : Names)
    if (llvm::StringRef(N).ends_with(Simple)) {
      Candidate = true;
      break;
    }
  if (!Candidate)
    return false;
  std::string Q = qualifiedName(D);
  std::string Plain = withoutTemplateArguments(Q);
  for (const std::string &N : Names)
    if (Q == N || Plain == N)
      return true;
  return false;
}

bool isRecordOrBase(const CXXRecordDecl *RD,
                    llvm::function_ref<bool(const CXXRecordDecl *)> Pred) {
  // Bounded: a dependent base can lead back to its own template.
  llvm::SmallVector<std::pair<const CXXRecordDecl *, unsigned>, 4> Work{
      {RD, 0}};
  while (!Work.empty()) {
    auto [R, Depth] = Work.pop_back_val();
    if (!R)
      continue;
    if (Pred(R))
      return true;
    R = R->getDefinition();
    if (!R || Depth == 8)
      continue;
    for (const CXXBaseSpecifier &Base : R->bases())
      Work.push_back({recordOf(Base.getType()), Depth + 1});
  }
  return false;
}

bool inNamespace(const Decl *D, llvm::StringRef NS) {
  if (NS.empty())
    return true;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *N = dyn_cast<NamespaceDecl>(DC);
        N && N->getDeclName().isIdentifier() && N->getName() == NS)
      return true;
  return false;
}

bool isRecordInNamespace(const CXXRecordDecl *RD, llvm::StringRef Name,
                         llvm::StringRef NS) {
  return isRecordOrBase(RD, [&](const CXXRecordDecl *R) {
    return R->getDeclName().isIdentifier() && R->getName() == Name &&
           inNamespace(R, NS);
  });
}

bool isStdRecord(const CXXRecordDecl *RD,
                 llvm::ArrayRef<llvm::StringRef> Names) {
  return RD && RD->getDeclName().isIdentifier() && RD->isInStdNamespace() &&
         llvm::is_contained(Names, RD->getName());
}

const FunctionDecl *definitionOf(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  if (const FunctionDecl *Def = FD->getDefinition(); Def && Def->hasBody())
    return Def;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    if (const FunctionDecl *Def = Pattern->getDefinition();
        Def && Def->hasBody())
      return Def;
  return nullptr;
}

void forEachOverridden(const CXXMethodDecl *MD,
                       llvm::function_ref<void(const CXXMethodDecl *)> Fn) {
  llvm::SmallVector<const CXXMethodDecl *, 4> Work(
      MD->overridden_methods().begin(), MD->overridden_methods().end());
  llvm::SmallPtrSet<const CXXMethodDecl *, 4> Seen;
  while (!Work.empty()) {
    const CXXMethodDecl *Base = Work.pop_back_val()->getCanonicalDecl();
    if (!Seen.insert(Base).second)
      continue;
    Fn(Base);
    Work.append(Base->overridden_methods().begin(),
                Base->overridden_methods().end());
  }
}

bool NameSet::containsRecordOrBase(const CXXRecordDecl *RD) const {
  return isRecordOrBase(RD, [this](const CXXRecordDecl *R) {
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(R))
      if (contains(Spec->getSpecializedTemplate()))
        return true;
    return contains(R);
  });
}

const CXXRecordDecl *recordOf(QualType T, bool ThroughPointer) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (ThroughPointer && T->isPointerType())
    T = T->getPointeeType();
  T = T.getCanonicalType();
  if (const auto *RD = T->getAsCXXRecordDecl())
    return RD;
  // A dependent specialization (std::lock_guard<T>) still names its template.
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
      if (const auto *CTD = dyn_cast<ClassTemplateDecl>(TD))
        return CTD->getTemplatedDecl();
  return nullptr;
}

bool isContainerInsertionName(llvm::StringRef N) {
  return N == "push_back" || N == "emplace_back" || N == "emplace" ||
         N == "insert" || N == "push" || N == "push_front" ||
         N == "emplace_front" || N == "try_emplace";
}

bool isQueueInsertionName(llvm::StringRef N) {
  return isContainerInsertionName(N) || N == "enqueue" || N == "try_push" ||
         N == "try_enqueue" || N == "put" || N == "send" || N == "add";
}

} // namespace concheck::model
