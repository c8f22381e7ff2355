/* timer.h - the generic timer's virtual counter and the EL1 virtual timer, the cell's own
 * (Arm ARM D11 "The Generic Timer in AArch64 state": CNTVCT_EL0, CNTV_CVAL_EL0, CNTV_CTL_EL0,
 * CNTFRQ_EL0). Times are in counter ticks of CNTFRQ_EL0 Hz unless a name says _ms. */
#ifndef RT_TIMER_H
#define RT_TIMER_H

#include <stdbool.h>
#include <stdint.h>

/* timer_now - CNTVCT_EL0 (after an ISB, so it is not read early). */
uint64_t timer_now(void);

/* timer_freq - CNTFRQ_EL0 in Hz (62.5 MHz assumed if it reads 0). */
uint64_t timer_freq(void);

/* timer_ms - @ms milliseconds in counter ticks. */
uint64_t timer_ms(uint64_t ms);

/* timer_init - route the virtual timer's PPI @intid (the DTB /timer "interrupts" third entry,
 * + 16; 27 on QEMU virt) to the runtime's handler, which masks the timer (CNTV_CTL_EL0.IMASK)
 * and counts the expiry. Needs gic_init. The runtime calls it at start. Returns 0 or -1. */
int timer_init(uint32_t intid);

/* timer_hook_fn - a component's virtual-timer interrupt hook (timer_set_handler). Called in IRQ
 * context (PSTATE.I set) with the interrupt acknowledged (ICC_IAR1_EL1) and not yet ended: @now
 * is CNTVCT_EL0 in ticks as the runtime's timer handler read it first thing, before masking the
 * timer (so @now - CNTV_CVAL_EL0 is the interrupt's latency up to that read, the runtime's
 * vector and acknowledge included); @arg is timer_set_handler's. The runtime has masked the
 * timer (CNTV_CTL_EL0.IMASK) and counted the expiry; the hook may arm it again (timer_arm). */
typedef void (*timer_hook_fn)(uint64_t now, void *arg);

/* timer_set_handler - call @fn(now, @arg) on every virtual-timer interrupt after the runtime's
 * own handling (NULL: no hook). timer_wait_until and timer_sleep_ms keep working with a hook. */
void timer_set_handler(timer_hook_fn fn, void *arg);

/* timer_arm - fire at CNTVCT = @cval (CNTV_CVAL_EL0, CNTV_CTL_EL0.ENABLE); one shot. */
void timer_arm(uint64_t cval);

/* timer_disarm - CNTV_CTL_EL0 = 0. */
void timer_disarm(void);

/* timer_expiries - how many virtual-timer interrupts the runtime has taken. */
uint32_t timer_expiries(void);

/* timer_wait_until - arm the timer for @cval and sleep in WFI (IRQs unmasked meanwhile, then
 * restored) until its interrupt has been taken. Returns true, or false if the interrupt did
 * not come within @cval + 2 s or timer_init had failed (then the wait polled CNTVCT). */
bool timer_wait_until(uint64_t cval);

/* timer_sleep_ms - timer_wait_until(now + @ms milliseconds). */
bool timer_sleep_ms(uint64_t ms);

#endif
