#include "shared_lock.h"
void user_b() { touch_shared(); }
