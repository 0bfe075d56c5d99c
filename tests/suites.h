/*
 * suites.h: the list of test suites and child entry points. Platform gating
 * lives here (and in the matching list of tests/CMakeLists.txt) only.
 *
 * X(name) declares Suite *sp_suite_<name>(void), defined in test_<name>.c.
 * C(name) declares int sp_child_<name>(int argc, char **argv): a program
 * the runner runs as `sigport_tests --child name args...`, for tests that
 * need a process of their own (exit statuses, Windows isolation).
 */
#ifndef SIGPORT_TEST_SUITES_H
#define SIGPORT_TEST_SUITES_H

#include <check.h>

#if defined(_WIN32)
#define SP_SUITES(X) \
  X(errors)          \
  X(names)           \
  X(sigset)          \
  X(win32)           \
  X(winchild)        \
  X(winemul)         \
  X(dthread)
#define SP_CHILDREN(C) C(win32) C(winchild)
#else
#define SP_SUITES(X) \
  X(errors)          \
  X(names)           \
  X(sigset)          \
  X(core)            \
  X(handlers)        \
  X(wakeup)          \
  X(process)         \
  X(stress)          \
  X(badinput)        \
  X(timers)          \
  X(masks)           \
  X(waits)           \
  X(send)            \
  X(reliability)     \
  X(cancel)          \
  X(dispatch)        \
  X(watch)           \
  X(group)           \
  X(chain)           \
  X(faults)          \
  X(child)           \
  X(dthread)
#define SP_CHILDREN(C) C(process)
#endif

#define SP_DECLARE_SUITE(name) Suite *sp_suite_##name(void);
#define SP_DECLARE_CHILD(name) int sp_child_##name(int argc, char **argv);
SP_SUITES(SP_DECLARE_SUITE)
SP_CHILDREN(SP_DECLARE_CHILD)

#endif
