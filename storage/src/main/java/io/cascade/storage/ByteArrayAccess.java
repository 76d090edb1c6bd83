package io.cascade.storage;

import net.openhft.chronicle.algo.hashing.LongHashFunction;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.bytes.RandomDataOutput;
import net.openhft.chronicle.hash.AbstractData;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.serialization.DataAccess;
import net.openhft.chronicle.wire.WireIn;
import net.openhft.chronicle.wire.WireOut;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * How Chronicle Map sees a byte[] key or value: the array itself, hashed, compared and copied straight from
 * the array. Chronicle's own ByteArrayDataAccess wraps every array in a reference-counted BytesStore and
 * hashes it through bounds-checked reads, which a profile of an RDB load showed as a third of the time spent
 * in the map; the hash is the same function over the same bytes, so entries are found as before. The wrapper
 * is only made if Chronicle asks for the bytes themselves. One instance per map context (copy()), so on the
 * thread using that map: the command thread, or a loader filling a fresh dataset.
 */
final class ByteArrayAccess extends AbstractData<byte[]> implements DataAccess<byte[]> {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private transient byte[] array;
    private transient BytesStore<?, ?> wrapped;

    @Override
    public RandomDataInput bytes() {
        if (wrapped == null) {
            wrapped = BytesStore.wrap(array);
        }
        return wrapped;
    }

    @Override
    public long offset() {
        return 0;
    }

    @Override
    public long size() {
        return array.length;
    }

    @Override
    public long hash(LongHashFunction f) {
        return f.hashBytes(array);
    }

    /** The bytes at source[offset..] equal the array (Chronicle has compared the sizes already). */
    @Override
    public boolean equivalent(RandomDataInput source, long offset) {
        byte[] a = array;
        int i = 0;
        for (; i + 8 <= a.length; i += 8) {
            if ((long) LONGS.get(a, i) != source.readLong(offset + i)) {
                return false;
            }
        }
        for (; i < a.length; i++) {
            if (a[i] != source.readByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void writeTo(RandomDataOutput target, long targetOffset) {
        target.write(targetOffset, array, 0, array.length);
    }

    @Override
    public byte[] get() {
        return array;
    }

    @Override
    public byte[] getUsing(byte[] using) {
        if (using == null || using.length != array.length) {
            using = new byte[array.length];
        }
        System.arraycopy(array, 0, using, 0, array.length);
        return using;
    }

    @Override
    public Data<byte[]> getData(byte[] instance) {
        array = instance;
        wrapped = null;
        return this;
    }

    @Override
    public void uninit() {
        array = null;
        wrapped = null;
    }

    @Override
    public DataAccess<byte[]> copy() {
        return new ByteArrayAccess();
    }

    @Override
    public void writeMarshallable(WireOut wire) {
        // no configuration to keep
    }

    @Override
    public void readMarshallable(WireIn wire) {
        // no configuration to read
    }
}
