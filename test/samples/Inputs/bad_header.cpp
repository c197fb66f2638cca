// Expected static findings (concheck): none
// Expected dynamic outcome: flaky

int main() {}
