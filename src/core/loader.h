/* loader.h - putting a guest into a cell's memory: the Linux arm64 loader
 * (Documentation/arch/arm64/booting.rst), used for Linux and for native components, which
 * are packed as arm64 Images too (docs/components.md). */
#ifndef CELLA_CORE_LOADER_H
#define CELLA_CORE_LOADER_H

struct cell;

/* linux_open - find @c's kernel and initrd in the system image and check the kernel is a
 * usable arm64 Image; prints one message naming the cell's node and returns < 0 if not. */
int linux_open(struct cell *c);

/* linux_boot_in_place - if the system image has a boot area for @c (sysimg.h) that can be its
 * RAM as it stands, reserve that RAM (c->mem_pa) and mark @c to boot in place; otherwise
 * leave @c alone (its RAM is allocated and the images copied). */
void linux_boot_in_place(struct cell *c);

/* linux_load - lay @c's kernel, DTB and initrd out in its RAM as booting.rst asks (copying
 * them, unless it boots in place for the first time) and build its device tree; sets
 * c->entry_ipa and c->dtb_ipa. Prints one message and returns < 0 if they do not fit. */
int linux_load(struct cell *c);

#endif
