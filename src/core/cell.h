/* cell.h - cells: creation from the system description, (re)loading, stopping and
 * restarting, control by capability or operator. The objects are in obj.h; what the arch
 * layer calls is in exit.h. */
#ifndef CELLA_CORE_CELL_H
#define CELLA_CORE_CELL_H

#include <stdbool.h>
#include <stdint.h>
#include "core/exit.h"
#include "core/hypercall.h"
#include "core/obj.h"
#include "core/prompt.h"
#include "core/sysdesc.h"

/* cell_create_all - carve memory, build stage-2, load images and create the vCPUs and devices
 * of every cell in @d; prints one message naming the cell's node and the problem and returns
 * < 0 on failure. */
int cell_create_all(const struct sysdesc *d);

/* cell_load - (re)load @c's images and DTB into its memory, reset its devices, rebuild its
 * cspace and set vCPU 0 ON_PENDING. Every vCPU of @c is parked. Returns 0 or < 0 (message
 * printed). */
int cell_load(struct cell *c);

/* cell_running - @c is RUNNING (a snapshot: it may change as soon as this returns). */
bool cell_running(struct cell *c);

/* cell_control - start, stop or restart @t, recording @reason (CELLA_STOP_*) and saying
 * @why. Returns CELLA_OK, or CELLA_E_BUSY if its state forbids it (start: not stopped; stop,
 * restart: not running). */
int cell_control(struct cell *t, enum hc_cell_op op, uint32_t reason, const char *why);

/* cell_build_cspace - @c's cspace: exactly the capabilities its node grants (nothing else),
 * and the environment its hypercalls run in (cellctl.c). */
void cell_build_cspace(struct cell *c);

/* cell_prompt_command - carry out the operator prompt's command @cmd with argument @arg (a
 * cell name, or NULL), printing the outcome (prompt.h). Not with console locks held. */
void cell_prompt_command(enum prompt_cmd cmd, const char *arg);

/* cell_stats_enable - print each cell's trap statistics when it stops (cella.stats). */
void cell_stats_enable(void);

/* pcpu_loop - run this pCPU's vCPUs forever: the one alone on it as it comes, several by
 * priority and time slice (pcpu.c, sched.h). Never returns. */
void pcpu_loop(void) __attribute__((noreturn));

#endif
