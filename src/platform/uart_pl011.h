/* uart_pl011.h - the platform console: an Arm PL011 UART (DDI 0183) driven by polling for
 * output and by its receive interrupt for input. */
#ifndef CELLA_PLATFORM_UART_PL011_H
#define CELLA_PLATFORM_UART_PL011_H

#include <stdbool.h>
#include <stdint.h>

/* uart_init - use the PL011 at PA @base; 0 disables output until called. Leaves the baud rate
 * as the firmware set it and enables the receive interrupt. */
void uart_init(uint64_t base);

/* uart_putc - write byte @c, waiting while the transmit FIFO is full. */
void uart_putc(char c);

/* uart_getc - a received byte, or -1 if the receive FIFO is empty. */
int uart_getc(void);

/* uart_irq_mask - enable the receive interrupts if @rx (masked while the cell that gets
 * console input has a full FIFO, so bytes wait in the UART instead of being lost) and the
 * transmit interrupt if @tx (while output waits in cella's buffers). Writes UARTIMSC. */
void uart_irq_mask(bool rx, bool tx);

#endif
