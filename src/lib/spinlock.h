/* spinlock.h - ticket-free test-and-set spinlock for EL2 (needs the EL2 MMU on: exclusives
 * on normal memory). Host builds get no-ops. */
#ifndef CELLA_LIB_SPINLOCK_H
#define CELLA_LIB_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	volatile uint32_t v;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			;
}

/* spin_trylock - take @l if it is free; returns true if taken. Never waits. */
static inline bool spin_trylock(spinlock_t *l)
{
	return __atomic_load_n(&l->v, __ATOMIC_RELAXED) == 0 &&
	       __atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

#endif
