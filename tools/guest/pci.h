/* pci.h - PCI functions from Linux user space through sysfs and uio_pci_generic: find them by
 * ID, load and bind the driver, map BARs, wait for INTx through /dev/uioN.
 *
 * The uio_pci_generic contract (drivers/uio/uio_pci_generic.c, docs/design.md "Channels for
 * stock Linux"): the function's INTx interrupt handler sets Command bit 10 (INTx Disable) and
 * counts an event; read() on /dev/uioN blocks until the count moves and returns it (4 bytes).
 * User space acknowledges the device's own interrupt cause, then clears INTx Disable again by
 * writing Command's high byte (config byte 5) through /sys/bus/pci/devices/ADDR/config. */
#ifndef CELLA_GUEST_PCI_H
#define CELLA_GUEST_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCI_ADDR_LEN 32
#define SYS_PCI "/sys/bus/pci/devices"
#define UIO_DRV "/sys/bus/pci/drivers/uio_pci_generic"

/* IDs (src/dev/vpci.h; QEMU's hw/misc/edu.c) */
#define PCI_VENDOR_REDHAT 0x1af4u
#define PCI_DEVICE_IVSHMEM 0x1110u	/* a channel (QEMU's ivshmem) */
#define PCI_DEVICE_PORTAL 0x11ceu	/* cella's portal */
#define PCI_VENDOR_QEMU 0x1234u
#define PCI_DEVICE_EDU 0x11e8u		/* QEMU's educational device */

/* pci_scan - the addresses ("0000:00:02.0") of the functions with @vendor:@device, sorted, at
 * most @max; returns how many there are (may exceed @max) */
int pci_scan(unsigned vendor, unsigned device, char (*addr)[PCI_ADDR_LEN], int max);

/* pci_norm_addr - @s ("00:02.0" or "0000:00:02.0") as sysfs names it, into @out; false if no
 * such function */
bool pci_norm_addr(const char *s, char out[PCI_ADDR_LEN]);

/* pci_ids - vendor and device of the function at @addr; false if unreadable */
bool pci_ids(const char *addr, unsigned *vendor, unsigned *device);

/* pci_bar_size - bytes of BAR @bar of @addr (from its 'resource' file), 0 if none */
uint64_t pci_bar_size(const char *addr, unsigned bar);

/* pci_map_bar - mmap @len bytes of BAR @bar of @addr, shared, read-write (read-only without
 * PCI_MAP_WRITE): resourceN_wc first with PCI_MAP_WC (Normal Non-cacheable on arm64), else or
 * failing that resourceN (Device memory). Dies on failure. */
#define PCI_MAP_WRITE 1u
#define PCI_MAP_WC 2u
void *pci_map_bar(const char *addr, unsigned bar, size_t len, unsigned flags);

/* uio_bind - make uio_pci_generic drive the function at @addr: load uio.ko and
 * uio_pci_generic.ko if the driver is absent (finit_module on the files under
 * /lib/modules/$(uname -r)/, else `modprobe uio_pci_generic`), add its vendor:device to the
 * driver's new_id, bind it explicitly if it is still unbound. Returns 0, or -1 with a warning
 * (e.g. bound to another driver). Idempotent. */
int uio_bind(const char *addr);

/* uio_number - N of /dev/uioN for @addr (uio_pci_generic bound), -1 if none */
int uio_number(const char *addr);

/* a function bound to uio_pci_generic, opened for interrupts */
struct uiodev {
	char addr[PCI_ADDR_LEN];
	int uio_fd;			/* /dev/uioN, or -1 */
	int cfg_fd;			/* its config space, or -1 */
	int num;			/* N of /dev/uioN */
	unsigned irq;			/* the Linux IRQ (0: no INTx, uio cannot wait) */
	uint8_t cmd_hi;			/* config byte 5 as read at open, INTx Disable clear */
	uint64_t events;		/* the uio event count last read */
};

/* uio_open - bind (uio_bind) and open @addr's /dev/uioN and config. Dies on failure. */
void uio_open(struct uiodev *u, const char *addr);

/* uio_intx_enable - clear INTx Disable (write cmd_hi to config byte 5) */
void uio_intx_enable(struct uiodev *u);

/* uio_wait - wait up to @timeout_ms (-1: forever, a blocking read() alone) for an interrupt of
 * @u and consume it.
 * Returns 1 for an interrupt (INTx is then disabled until uio_intx_enable), 0 on timeout or
 * a signal, -1 if @u cannot interrupt (no IRQ). */
int uio_wait(struct uiodev *u, int timeout_ms);

/* uio_close - close what uio_open opened */
void uio_close(struct uiodev *u);

/* 32-bit MMIO (volatile, aligned) */
static inline uint32_t mmio_read32(volatile void *base, unsigned off)
{
	return *(volatile uint32_t *)((volatile uint8_t *)base + off);
}

static inline void mmio_write32(volatile void *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)((volatile uint8_t *)base + off) = v;
}

#endif
