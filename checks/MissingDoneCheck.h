//===--- MissingDoneCheck.h - concheck-missing-done -------------*- C++ -*-===//
//
// Part of concheck.
//
//===----------------------------------------------------------------------===//

#ifndef CONCHECK_CHECKS_MISSINGDONECHECK_H
#define CONCHECK_CHECKS_MISSINGDONECHECK_H

#include "TaskCheckBase.h"

namespace concheck {

/// Finds a counted task with a path that skips its group's done(), or calls
/// it twice, so that wait() blocks forever or the counter goes negative.
///
/// For the user-facing documentation see:
/// docs/checks/missing-done.md
class MissingDoneCheck : public TaskCheckBase {
public:
  using TaskCheckBase::TaskCheckBase;

protected:
  void checkTask(const model::Task &T, clang::ASTContext &Ctx) override;
};

} // namespace concheck

#endif // CONCHECK_CHECKS_MISSINGDONECHECK_H
