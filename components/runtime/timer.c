/* timer.c - the component runtime's virtual timer: counter reads, one-shot arming, WFI waits. */
#include <rt/gic.h>
#include <rt/sysreg.h>
#include <rt/timer.h>

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK 2u

static volatile uint32_t expiries;
static bool irq_ok;			/* timer_init routed the interrupt: WFI will wake */
static struct {
	timer_hook_fn fn;
	void *arg;
} hook;

uint64_t timer_now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

uint64_t timer_freq(void)
{
	uint64_t f = read_sysreg(cntfrq_el0);

	return f ? f : 62500000;
}

uint64_t timer_ms(uint64_t ms)
{
	return ms * (timer_freq() / 1000);
}

/* the timer's level interrupt stays asserted while the condition holds: mask it before EOI.
 * CNTVCT is read first, for the component's hook (latency measurements: timer_set_handler). */
static void timer_irq(uint32_t intid, void *arg)
{
	uint64_t now = timer_now();
	timer_hook_fn fn = hook.fn;

	(void)intid;
	(void)arg;
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
	isb();
	expiries++;
	if (fn)
		fn(now, hook.arg);
}

void timer_set_handler(timer_hook_fn fn, void *arg)
{
	uint64_t flags = read_sysreg(daif);

	irq_mask();	/* an interrupt in between must not see the new function with the old arg */
	hook.arg = arg;
	hook.fn = fn;
	write_sysreg(daif, flags);
}

int timer_init(uint32_t intid)
{
	timer_disarm();
	if (gic_irq_set_handler(intid, timer_irq, 0) || gic_enable_ppi(intid, GIC_PRIO_DEFAULT))
		return -1;
	irq_ok = true;
	return 0;
}

void timer_arm(uint64_t cval)
{
	write_sysreg(cntv_cval_el0, cval);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void timer_disarm(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

uint32_t timer_expiries(void)
{
	return expiries;
}

bool timer_wait_until(uint64_t cval)
{
	uint32_t target = expiries + 1;
	uint64_t flags = read_sysreg(daif), give_up = cval + timer_ms(2000);
	bool ok = true;

	if (!irq_ok) {
		/* no interrupt would end a WFI: poll, woken by the event stream (CNTKCTL_EL1) */
		while (timer_now() < cval)
			wfe();
		return false;
	}
	timer_arm(cval);
	for (;;) {
		/* WFI with IRQs masked still wakes on a pending IRQ; unmask to take it */
		irq_mask();
		if (expiries == target)
			break;
		if (timer_now() > give_up) {
			ok = false;
			break;
		}
		wfi();
		irq_unmask();
	}
	timer_disarm();
	write_sysreg(daif, flags);
	return ok;
}

bool timer_sleep_ms(uint64_t ms)
{
	return timer_wait_until(timer_now() + timer_ms(ms));
}
