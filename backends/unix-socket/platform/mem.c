/*
 * mem.c - uk_default_mem() on the unix targets (unix and tap): one
 * anonymous mapping of --memory=SIZE bytes (default: the image's declared
 * MEMORY, uk_image_capacity()), made on first use and carved by the buddy
 * allocator (uk/heap_mem.h).  The mapping reserves no swap and the kernel
 * backs a page only once it is touched, so the process's RSS follows what
 * the budget really gives out.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include <uk/heap_mem.h>
#include <uk/target.h>
#include <uk/unix.h>

#include "internal.h"

struct uk_mem *uk_default_mem(void)
{
    static struct uk_heap_mem heap;
    static bool ready;
    size_t size;
    void *region;
    if (ready)
        return &heap.mem;
    size = uk__unix_memory_size();
    if (size == 0)
        size = uk_image_capacity()->memory;
    region = mmap(NULL, size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region == MAP_FAILED || uk_heap_mem_init(&heap, region, size) != 0) {
        /* The contract says never NULL: without its budget the image
         * cannot run at all. */
        uk_unix_errorf("cannot map a memory budget of %zu bytes", size);
        exit(1);
    }
    ready = true;
    return &heap.mem;
}
