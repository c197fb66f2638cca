#include "shared_lock.h"
void user_a() { touch_shared(); }
