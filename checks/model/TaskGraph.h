//===--- TaskGraph.h - The tasks of a task graph and their order -*- C++
//-*-===//
//
// Part of concheck. taskflow builds a graph of tasks before it runs any:
// `flow.emplace(f)` makes a task (several callables make several, returned
// as a tuple), a parallel algorithm (`flow.for_each_index(b, e, s, f)`)
// makes one that runs f many times at once, `a.precede(b)`,
// `b.succeed(a)` and `flow.linearize({a, b, c})` order them, and
// `executor.run(flow)` starts every task, which then run at once unless an
// order of precedes leads from one to the other. Two runs of one flow take
// turns (the executor queues them). This model finds the tasks of one flow
// (a local's, in its function; a member's, in its class's member functions)
// and the order between them.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_MODEL_TASKGRAPH_H
#define CONCHECK_MODEL_TASKGRAPH_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/BitVector.h"
#include <memory>
#include <vector>

namespace concheck::model {

struct TaskGraph {
  struct Node {
    /// The call that made the task (emplace, a parallel algorithm).
    const clang::Expr *Made = nullptr;
    /// The callable, as passed.
    const clang::Expr *Callable = nullptr;
    /// A parallel algorithm: the callable runs many times at once.
    bool ManyRuns = false;
    /// Made in a loop: the node stands for one task per iteration.
    bool InLoop = false;
  };
  /// The flow: a local variable, a parameter or a member.
  const clang::ValueDecl *Flow = nullptr;
  std::vector<Node> Nodes;
  /// Reach[I][J]: an order of precedes leads from node I to node J.
  std::vector<llvm::BitVector> Reach;
  /// Where the flow is cleared (a local flow's run starts the tasks made
  /// since the last clear before it).
  std::vector<clang::SourceLocation> Clears;
  /// Some order could not be followed (tasks kept in a container, a task
  /// variable bound again after its use, a task handed to another function,
  /// given semaphores or new work): every two of the flow's tasks are taken
  /// to be ordered, so that nothing is reported rather than a guess.
  bool Opaque = false;

  /// Whether tasks \p A and \p B of one run never run at once.
  bool ordered(unsigned A, unsigned B) const {
    return Opaque || Reach[A].test(B) || Reach[B].test(A);
  }

  /// The flow a call runs: tf::Executor's run, run_n, run_until or corun of
  /// a tf::Taskflow that is a variable or a member of the object (also
  /// through std::move). Null for any other call.
  static const clang::ValueDecl *flowRunBy(const clang::CallExpr *Call);

  /// The tasks of \p Flow and their order, from the bodies that build it.
  static std::shared_ptr<const TaskGraph> build(const clang::ValueDecl *Flow);
};

} // namespace concheck::model

#endif // CONCHECK_MODEL_TASKGRAPH_H
