/* CRC32 (SSE4.2) and POPCNT. CRC32 accumulates CRC-32C: polynomial
 * 0x11EDC6F41, bit-reflected (0x82F63B78), no final inversion inside the
 * instruction (SDM vol. 2 CRC32 gives the bit-level definition; software
 * inverts before and after). POPCNT counts set bits (SDM vol. 2 POPCNT). */
#include "cpu/simd/simd_str.h"

uint32_t simd_crc32(uint32_t crc, uint64_t data, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        crc ^= (uint8_t)(data >> 8 * i);
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? crc >> 1 ^ 0x82f63b78u : crc >> 1;
    }
    return crc;
}

unsigned simd_popcnt(uint64_t v)
{
    unsigned n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}
