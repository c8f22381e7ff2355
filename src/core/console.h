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

/* console_cell_putc - byte @ch written by cell @c to its virtual UART. */
void console_cell_putc(struct cell *c, char ch);

/* console_rx_irq - the platform UART's receive interrupt: move received bytes to the input
 * cell's virtual UART. */
void console_rx_irq(void);

/* console_rx_drained - cell @c read from its virtual UART's receive FIFO: if input was held
 * back because that FIFO was full, move more of it now. */
void console_rx_drained(struct cell *c);

#endif
