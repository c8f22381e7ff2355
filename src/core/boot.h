/* boot.h - what the boot flow (main.c) found and others use afterwards: the machine's free
 * RAM and the system image cella was packed with. */
#ifndef CELLA_CORE_BOOT_H
#define CELLA_CORE_BOOT_H

#include "core/memmap.h"
#include "core/sysimg.h"

/* boot_machine_mem - the machine's RAM map: what is free for cells (memmap.h) */
struct memmap *boot_machine_mem(void);

/* boot_system_image - the system image payload after cella's binary (sysimg.h) */
const struct sysimg *boot_system_image(void);

#endif
