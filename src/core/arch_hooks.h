/* arch_hooks.h - the one place the core reaches the architecture layer. */
#ifndef CELLA_CORE_ARCH_HOOKS_H
#define CELLA_CORE_ARCH_HOOKS_H
#include "arch/aarch64/arch.h"
#endif
