/* console.h - the physical console shared by cella and the cells: output from each cell's
 * virtual UART (prefixed with the cell name when several cells run), input to the one cell
 * the description names as console. */
#ifndef CELLA_CORE_CONSOLE_H
#define CELLA_CORE_CONSOLE_H

#include <stdbool.h>

struct cell;

/* console_set_prefixing - prefix each line of cell output with "[name] " if @on. */
void console_set_prefixing(bool on);

/* console_set_input - give console input to @c (NULL: drop input). */
void console_set_input(struct cell *c);

/* console_input - the cell console input goes to (NULL: none). */
struct cell *console_input(void);

/* console_set_prompt - allow (default) or refuse the operator prompt (prompt.h): with it off,
 * PROMPT_ESCAPE is an ordinary byte for the input cell. */
void console_set_prompt(bool enabled);

/* console_cell_init - give cell @c (id below CELLA_MAX_CELLS) its output buffer (boot). */
void console_cell_init(struct cell *c);

/* console_cell_putc - byte @ch written by cell @c to its virtual UART: queued in the cell's
 * bounded buffer (lost if the guest ignored TXFF and wrote into a full one). Called under the
 * cell's device lock; never touches the platform UART. */
void console_cell_putc(struct cell *c, char ch);

/* console_cell_written - cell @c wrote to its virtual UART (its device lock released): if it has
 * something to show (a whole line, or any byte for the input cell or a lone cell), make sure
 * the UART's transmit interrupt will drain it; without a console pCPU of its own, first show
 * its own line if no other pCPU is draining. Never waits. */
void console_cell_written(struct cell *c);

/* console_cell_tx_full - cell @c's output buffer is full: its virtual UART reports TXFF. */
bool console_cell_tx_full(struct cell *c);

/* console_cell_reset - cell @c was reloaded: whatever of the console it held is reset: a line
 * the old instance left open is ended, and input flows (the receive interrupt unmasked, no
 * throttle left over from the old instance). */
void console_cell_reset(struct cell *c);

/* console_irq (the platform UART's interrupt) is declared in exit.h: the arch layer calls it */

/* console_set_dedicated - the platform UART's interrupt goes to a pCPU no cell owns (@on):
 * cells' writes then leave all draining to it. */
void console_set_dedicated(bool on);

/* console_flush - write out everything buffered, waiting for the UART (before power-off). */
void console_flush(void);

/* console_rx_drained - cell @c read from its virtual UART's receive FIFO: if input was held
 * back because that FIFO was full, move more of it now. */
void console_rx_drained(struct cell *c);

#endif
