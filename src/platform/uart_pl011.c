/* uart_pl011.c - polled PL011 output and interrupt-driven input for cella's console. */
#include <stdbool.h>
#include <stdint.h>
#include "platform/uart_pl011.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_IMSC 0x038
#define UART_ICR 0x044
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)

static uint64_t uart_base;

static inline uint32_t rd(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(uart_base + off);
}

static inline void wr(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(uart_base + off) = v;
}

void uart_init(uint64_t base)
{
	uart_base = base;
	if (!base)
		return;
	wr(UART_ICR, 0x7ff);
	wr(UART_IMSC, INT_RX | INT_RT);
}

void uart_putc(char c)
{
	if (!uart_base)
		return;
	while (rd(UART_FR) & FR_TXFF)
		;
	wr(UART_DR, (uint8_t)c);
}

int uart_getc(void)
{
	if (!uart_base || (rd(UART_FR) & FR_RXFE))
		return -1;
	return (int)(rd(UART_DR) & 0xff);
}

void uart_irq_mask(bool rx, bool tx)
{
	if (uart_base)
		wr(UART_IMSC, (rx ? (INT_RX | INT_RT) : 0) | (tx ? INT_TX : 0));
}
