// Claims a deadlock, but ends at once.
//
// Expected static findings (concheck): none
// Expected dynamic outcome: deadlock

#include <cstdio>

int main() { std::puts("done"); }
