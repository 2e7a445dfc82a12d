// list: a growable array. In free-threaded mode every single operation runs
// under the list's object lock (BEGIN_CRITICAL), and getters return new
// references, so an item is never freed while another thread takes it.
#ifndef GILVM_LIST_H
#define GILVM_LIST_H

#include "object.h"

typedef struct {
    Object ob;
    size_t len, cap;
    Value *items;
} List;

extern Type list_type;
static inline bool val_is_list(Value v) {
    return val_is_obj(v) && (val_obj(v)->type == &list_type ||
                             (val_obj(v)->type->tflags & TF_LIST_SUBCLASS));
}
static inline List *as_list(Value v) { return (List *)val_obj(v); }

Value list_new(size_t cap);
Value list_from_array(const Value *items, size_t n);    // increfs
int list_append(Value l, Value v);                      // increfs v
int list_append_steal(Value l, Value v);
int list_extend(Value l, Value iterable);
Value list_get_new(Value l, int64_t i);                 // new ref; IndexError
size_t list_len(Value l);
int list_sort(Value l, Value key, bool reverse);
Value list_from_iterable(Value it);

// --- added by the list.c owner --------------------------------------------
typedef struct {
    Object ob;
    Value seq;           // List, VAL_NULL once exhausted
    size_t index;        // next index (forward) / next index + 1 (reversed)
} ListIter;
extern Type list_iter_type, list_reviter_type;
void list_type_init(void);      // readies list, list_iterator, list_reverseiterator

// A snapshot of [l]'s items taken under its lock: a malloc'd array of new
// references (free() it after dropping them), *n items. NULL on MemoryError
// (a zero-length list gives a non-NULL array).
Value *list_copy_items(Value l, size_t *n);
// reversed(list): a list_reverseiterator (the __reversed__ method).
Value list___reversed__(Value self, Value *args, size_t nargs, Value kwnames);
Value list_reversed_iter(Value l);
// list.copy(), list + list and list slicing as plain functions.
Value list_copy(Value l);
int list_insert(Value l, int64_t where, Value v);      // increfs v
Value list_pop(Value l, int64_t i);                    // new ref; IndexError
int list_clear(Value l);
int list_reverse(Value l);
// Trashcan for container deallocs (CPython's Py_TRASHCAN): a dealloc calls
// list_trash_begin(o) first; false means [o] was queued and will be freed
// later by the outermost dealloc (do nothing now); true means proceed and
// call list_trash_end() after the fields are cleared. Bounds C stack use
// when freeing deeply nested lists/tuples. Per thread.
bool list_trash_begin(Object *o);
void list_trash_end(void);

#endif
