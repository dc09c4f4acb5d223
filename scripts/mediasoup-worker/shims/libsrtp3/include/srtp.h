/*
 * Consilium: libsrtp 3 API on top of Debian's libsrtp 2.5.
 *
 * mediasoup 3.19 is written against versatica's libsrtp 3 fork, whose
 * protect/unprotect calls take (input, size_t length) and write to a separate
 * output buffer whose capacity is passed in *out_len. libsrtp 2 works in place
 * with an int length. This header is first on the include path as <srtp.h>,
 * pulls in Debian's <srtp2/srtp.h> and adds C++ overloads with the fork's
 * signatures. mediasoup never uses MKI, so mki_index is ignored.
 */
#ifndef CONSILIUM_SRTP3_ON_SRTP2_H
#define CONSILIUM_SRTP3_ON_SRTP2_H

#include <srtp2/srtp.h>

#ifdef __cplusplus
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

/* Error codes that exist only in libsrtp 3 (same numeric values). */
constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace consilium_srtp
{
	using InPlaceFn = srtp_err_status_t (*)(srtp_t, void*, int*);

	/* Copies `in` to `out` when they differ, then runs libsrtp 2 in place.
	 * `growth` is how many bytes the operation may append (auth tag, index). */
	inline srtp_err_status_t RunInPlace(
	  InPlaceFn fn, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t growth)
	{
		if (inLen > static_cast<size_t>(INT_MAX) - growth)
			return srtp_err_status_bad_param;
		if (*outLen < inLen + growth)
			return srtp_err_status_buffer_small;
		if (out != in)
			std::memmove(out, in, inLen);

		int len                     = static_cast<int>(inLen);
		const srtp_err_status_t err = fn(ctx, out, &len);

		if (err == srtp_err_status_ok)
			*outLen = static_cast<size_t>(len);

		return err;
	}
} // namespace consilium_srtp

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t /*mkiIndex*/)
{
	return consilium_srtp::RunInPlace(srtp_protect, ctx, in, inLen, out, outLen, SRTP_MAX_TRAILER_LEN);
}

/* libsrtp 2 may append SRTP_MAX_TRAILER_LEN + 4 bytes to RTCP (the SRTCP index). */
inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t /*mkiIndex*/)
{
	return consilium_srtp::RunInPlace(
	  srtp_protect_rtcp, ctx, in, inLen, out, outLen, SRTP_MAX_TRAILER_LEN + 4);
}

/* Unprotecting only shrinks the packet. */
inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen)
{
	return consilium_srtp::RunInPlace(srtp_unprotect, ctx, in, inLen, out, outLen, 0);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen)
{
	return consilium_srtp::RunInPlace(srtp_unprotect_rtcp, ctx, in, inLen, out, outLen, 0);
}

/* Renamed in the fork; both take the SSRC in network byte order. */
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}
#endif /* __cplusplus */

#endif /* CONSILIUM_SRTP3_ON_SRTP2_H */
