// The small-object allocator: memory for objects (obj_alloc/obj_free) from
// per-thread caches in front of a process-wide pool carved from one reserved,
// huge-page-backed address range. Any thread may free a block another thread
// allocated; no GIL is needed. Design and locking: see alloc.c.
#ifndef GILVM_ALLOC_H
#define GILVM_ALLOC_H

#include "common.h"

// Requests up to this many bytes are served from size classes; bigger ones
// (and everything once the reserved range is exhausted) go to malloc.
#define ALLOC_SMALL_MAX 512

// A block of at least [size] bytes, 8-byte aligned (16-byte aligned when
// [size] > ALLOC_SMALL_MAX), contents undefined. NULL when out of memory (no
// exception is set: obj_alloc raises MemoryError).
void *alloc_new(size_t size);
// Release a block from alloc_new (NULL allowed). Any thread may free any block.
void alloc_free(void *p);
// The usable size of a block from alloc_new: its size class, or 0 for a
// block that came from malloc.
size_t alloc_block_size(const void *p);
// Hand the calling thread's cached blocks back to the process-wide pool.
// Called by every thread the VM starts when it ends (thread.c); a thread
// that does not call it is flushed by a pthread key destructor instead. The
// thread may go on allocating afterwards (the destructor flushes again).
void alloc_thread_exit(void);

// Figures for tests and diagnostics; a consistent snapshot only when no other
// thread allocates meanwhile.
typedef struct {
    size_t reserved;      // bytes of address space reserved (0: all blocks from malloc)
    size_t committed;     // bytes made readable/writable (2 MB steps)
    size_t pages_used;    // 16 KB pages handed to size classes so far
    size_t pooled;        // blocks in the process-wide pool (not in thread caches)
} AllocStats;
void alloc_stats(AllocStats *out);
// Number of size classes, and the block size of class [i] (0 <= i < count).
size_t alloc_class_count(void);
size_t alloc_class_size(size_t i);

#endif
