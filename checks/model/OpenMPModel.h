//===--- OpenMPModel.h - What an OpenMP parallel region runs at once -*- C++
//-*-===//
//
// Part of concheck. A `#pragma omp parallel` region is a spawn and a join
// in one statement: every thread of the team runs its body, and the
// function goes on when all have finished. Its body stays inline in the
// enclosing function's CFG (Clang's CFG keeps the region's statements where
// they are written and adds the directive as an element after them), so
// this model answers, over that CFG, the questions the race check asks about
// two accesses inside a region:
//  * which variables are each thread's own: declared in the region, named in
//    a private, firstprivate, lastprivate, reduction or linear clause, a
//    work-shared loop's iteration variable, a threadprivate global;
//  * which run on every thread and which on one (single, master, masked, a
//    section; a task runs once unless a loop or every thread creates it);
//  * which may run at the same time: in one phase between barriers (an
//    explicit barrier, the end of a work-sharing construct without nowait,
//    the end of the region), and for a task, until the taskwait (or the end
//    of the taskgroup) of the thread that created it;
//  * which exclude each other: a critical section of one name, two atomics;
//  * which elements differ per iteration: an index over a work-shared loop's
//    iteration variable or the thread's number, written the same way on
//    both sides (b[i], c[i * n + j]).
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_OPENMPMODEL_H
#define CONCHECK_MODEL_OPENMPMODEL_H

#include "BodyCFG.h"
#include "clang/AST/StmtOpenMP.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <vector>

namespace concheck::model {

class OpenMPRegions {
public:
  /// The model of \p Body's parallel regions; null when it has none (or the
  /// translation unit was parsed without -fopenmp).
  static std::unique_ptr<OpenMPRegions> of(const BodyCFG &Body,
                                           clang::ASTContext &Ctx);

  /// The innermost parallel directive whose team runs \p S; null outside
  /// every region.
  const clang::OMPExecutableDirective *regionOf(const clang::Stmt *S) const;

  enum class Sharing {
    Shared,
    /// Named in a private-like clause: each thread's own copy, though a
    /// pointer copy still points where the original does.
    ClausePrivate,
    /// Declared inside the region, a work-shared loop's iteration variable,
    /// a threadprivate global.
    Own,
  };
  /// How the threads of the region running \p At share \p VD.
  Sharing sharingOf(const clang::VarDecl *VD, const clang::Stmt *At) const;

  /// The variables whose value differs between the threads (or iterations)
  /// that use them: work-shared loops' iteration variables, and locals set
  /// to omp_get_thread_num().
  llvm::ArrayRef<const clang::ValueDecl *> perThreadIndices() const {
    return PerThread;
  }

  /// Whether two threads of one region may evaluate \p X and \p Y (CFG
  /// elements of the body) at the same time; \p X == \p Y asks whether one
  /// statement runs on two threads at once.
  bool mayRunTogether(const clang::Stmt *X, const clang::Stmt *Y) const;

  /// Whether \p X and \p Y are in critical sections of one name (or ordered
  /// constructs), or are both atomic.
  bool excluded(const clang::Stmt *X, const clang::Stmt *Y) const;

  /// Whether the element accesses \p A (evaluated at \p AtA) and \p B index
  /// with one expression over a per-thread variable: each thread's element.
  bool sameOwnElement(const clang::Expr *A, const clang::Expr *B) const;

private:
  OpenMPRegions(const BodyCFG &Body, clang::ASTContext &Ctx)
      : Body(Body), Ctx(Ctx) {}
  /// The innermost directive of one of \p Kinds around \p S, below \p Stop.
  const clang::OMPExecutableDirective *
  enclosing(const clang::Stmt *S, const clang::Stmt *Stop,
            bool (*Is)(const clang::OMPExecutableDirective *)) const;
  /// The task whose body holds \p S, and the construct run by one thread
  /// (single, master, masked, section) around it, inside \p S's region.
  const clang::OMPExecutableDirective *taskOf(const clang::Stmt *S) const;
  const clang::OMPExecutableDirective *serialOf(const clang::Stmt *S) const;
  bool runsMany(const clang::Stmt *S) const;
  bool samePhase(const clang::Stmt *X, const clang::Stmt *Y) const;
  /// Whether the thread that created task \p T reaches \p S before it waits
  /// for \p T.
  bool beforeTaskWait(const clang::OMPExecutableDirective *T,
                      const clang::Stmt *S) const;
  const clang::Expr *indexOf(const clang::Expr *E) const;

  const BodyCFG &Body;
  clang::ASTContext &Ctx;
  std::vector<const clang::OMPExecutableDirective *> Directives;
  llvm::DenseMap<const clang::Decl *, const clang::OMPExecutableDirective *>
      CapturedBy;
  llvm::DenseMap<const clang::OMPExecutableDirective *,
                 llvm::SmallPtrSet<const clang::VarDecl *, 4>>
      ClausePrivates;
  /// Arrays whose sections (or elements) a clause privatises.
  llvm::DenseMap<const clang::OMPExecutableDirective *,
                 llvm::SmallPtrSet<const clang::VarDecl *, 4>>
      SectionPrivates;
  llvm::SmallPtrSet<const clang::VarDecl *, 4> Counters;
  std::vector<const clang::ValueDecl *> PerThread;
  /// The statements reached from each phase start (the entry, each
  /// barrier) before the next barrier.
  mutable std::optional<std::vector<llvm::DenseSet<const clang::Stmt *>>>
      Phases;
  mutable llvm::DenseMap<const clang::OMPExecutableDirective *,
                         llvm::DenseSet<const clang::Stmt *>>
      BeforeWait;
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_OPENMPMODEL_H
