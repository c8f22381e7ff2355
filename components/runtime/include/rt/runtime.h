/* runtime.h - cella's native component runtime: what a component gets before its main() runs,
 * and the facts about its cell the runtime read from the DTB. A component is a C program with
 * `int main(void)`, built by `make` from the .c files of components/NAME into
 * build/components/NAME.bin, an arm64 Image (Linux Documentation/arm64/booting.rst) packed as a
 * cell's `kernel`. See docs/components.md. */
#ifndef RT_RUNTIME_H
#define RT_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include <rt/chan.h>
#include <rt/console.h>
#include <rt/dt.h>
#include <rt/gic.h>
#include <rt/hypercall.h>
#include <rt/mmu.h>
#include <rt/psci.h>
#include <rt/sysreg.h>
#include <rt/timer.h>

#define RT_MAX_GICR 4

/* the cell as the runtime found it (IPAs; the identity map makes them VAs too) */
struct rt_cell {
	const char *name;		/* root "model" = "cella,<name>"; "?" if none */
	const char *bootargs;		/* /chosen/bootargs, "" if none */
	uint64_t dtb;			/* the DTB's IPA (x0 at entry) */
	uint64_t ram_base, ram_size;	/* /memory reg */
	uint64_t uart;			/* the PL011 */
	uint64_t gicd;
	uint64_t gicr[RT_MAX_GICR], gicr_size[RT_MAX_GICR];
	unsigned nr_gicr;
	uint32_t vtimer_intid;		/* the virtual timer's PPI */
	int gic_ok;			/* gic_init succeeded: interrupts and timer waits work */
};

/* rt_cell - the facts above; valid in main(). */
const struct rt_cell *rt_cell(void);

/* rt_bootarg - the value of "@key=value" in the cell's bootargs, copied NUL-terminated into
 * @buf of @size bytes (cut to fit); a bare "@key" gives "". Returns @buf, or NULL if @key is
 * not there. */
char *rt_bootarg(const char *key, char *buf, size_t size);

/* rt_start - the C entry from head.S: @dtb is x0 at entry (the DTB's IPA). Reads the DTB, maps
 * RAM, devices and channels (rt/chan.h) and turns the MMU on, sets up the console, the GIC
 * (distributor, this CPU's redistributor and CPU interface) and the virtual timer, unmasks
 * IRQs, runs constructors, calls main() and then exit() with its result. Never returns. */
void rt_start(uint64_t dtb) __attribute__((noreturn));

/* exception frame as head.S saves it (see rt_exception) */
struct rt_frame {
	uint64_t x[31];
	uint64_t sp, elr, spsr, esr, far;
};

/* rt_exception - every exception vector: @kind is the vector index (group * 4 + type; groups
 * current EL with SP0 / SPx / lower EL AArch64 / AArch32, types synchronous / IRQ / FIQ /
 * SError; Arm ARM, "Exception vectors"). IRQs are dispatched through the GIC and return;
 * anything else prints a register dump with ESR/ELR/FAR and stops the cell (PSCI SYSTEM_OFF). */
void rt_exception(struct rt_frame *f, uint64_t kind);

/* main - the component; its return value goes to exit(). */
int main(void);

#endif
