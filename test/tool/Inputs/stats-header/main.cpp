#include "worker.h"

int main() {
  int n = 0;
  start_worker(n);
  return n;
}
