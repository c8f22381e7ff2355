/* virq.h - the one way anything outside the interrupt controller's model makes a virtual
 * interrupt pending in a cell (devices, channels): a level on a virtual SPI line. */
#ifndef CELLA_CORE_VIRQ_H
#define CELLA_CORE_VIRQ_H

#include <stdbool.h>
#include <stdint.h>

struct cell;

/* virq_set_level - the line of @c's SPI INTID @intid (32 and up) is now @level; while high
 * the interrupt is pending, and the vCPU it is routed to is kicked. Takes the vGIC's lock:
 * callers may hold a device lock (lock order: device, then vGIC). */
void virq_set_level(struct cell *c, uint32_t intid, bool level);

/* virq_pulse - make @c's SPI @intid pending once, as a GICD_ISPENDR write would (a doorbell):
 * it stays pending until the guest acknowledges it, whatever its trigger mode. */
void virq_pulse(struct cell *c, uint32_t intid);

#endif
