/* rx.c - mode rx-restart: console input keeps flowing into a cell restarted while its receive
 * FIFO was full (cella had masked the UART's receive interrupt then). The first boot waits for
 * a full FIFO without reading it and resets; the second reads only when FR says a byte is there
 * (as Linux's PL011 driver does) and must get some. A marker at the top of RAM, which a restart
 * does not scrub, tells the boots apart. */
#include <stdbool.h>
#include <stdint.h>

#include "testcell.h"

#define UART_FR_RXFE (1u << 4)
#define UART_FR_RXFF (1u << 6)
#define RX_MARKER 0x52585245535452ull	/* "RXRESTR" */

void tc_mode_rx_restart(void)
{
	volatile uint64_t *marker = (volatile uint64_t *)(uintptr_t)(tc_plat.mem_base +
								   tc_plat.mem_size - 4096);
	uint64_t end;
	unsigned got = 0;

	if (!tc_plat.mem_size) {
		tc_check(false, "rx_restart", "no memory size in the DTB");
		return;
	}
	if (*marker != RX_MARKER) {
		*marker = RX_MARKER;
		dsb_sy();
		tc_line("RX boot 1: waiting for a full receive FIFO");
		end = tc_now() + tc_ms(20000);
		while (!(mmio_read32(tc_plat.uart + UART_FR) & UART_FR_RXFF) && tc_now() < end)
			;
		tc_line("RX boot 1: FIFO %s; SYSTEM_RESET",
			(mmio_read32(tc_plat.uart + UART_FR) & UART_FR_RXFF) ? "full" : "not full");
		tc_smccc(PSCI_SYSTEM_RESET, 0, 0, 0);
		tc_check(false, "rx_restart", "SYSTEM_RESET returned");
		return;
	}
	*marker = 0;
	dsb_sy();
	tc_line("RX boot 2: reading what arrives");
	end = tc_now() + tc_ms(4000);
	while (tc_now() < end)
		if (!(mmio_read32(tc_plat.uart + UART_FR) & UART_FR_RXFE)) {
			(void)mmio_read32(tc_plat.uart + UART_DR);
			got++;
		}
	tc_check(got > 0, "rx_after_restart", "%u bytes received after the restart", got);
}
