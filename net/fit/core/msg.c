// SPDX-License-Identifier: GPL-2.0
/*
 * One message in fragments: the sending side (window, selective
 * acknowledgements, retransmission timer) and the receiving side
 * (reassembly in any order, duplicates ignored). No locking here: the
 * core calls these with its lock held.
 */
#include "fit_internal.h"

u32 fit_nfrags(u32 len, u32 frag_size)
{
	return len ? (len + frag_size - 1) / frag_size : 1;
}

/* A fragment header is consistent with itself (not yet with a reassembly). */
int fit_frag_check(u32 msg_len, u32 off, u32 len, u32 frag_size)
{
	if (frag_size < FIT_MIN_FRAG || msg_len > FIT_MAX_MSG || off % frag_size)
		return -EPROTO;
	if (!msg_len)
		return off || len ? -EPROTO : 0;
	if (off >= msg_len || len != fit_min(frag_size, msg_len - off))
		return -EPROTO;
	return 0;
}

/* ---------------------------------------------------------------- sending */

int fit_tx_init(struct fit_tx *tx, const void *data, u32 len, u32 frag_size,
		u32 window, u64 rto)
{
	u32 words;

	memset(tx, 0, sizeof(*tx));
	tx->data = data;
	tx->len = len;
	tx->frag_size = frag_size;
	tx->nfrags = fit_nfrags(len, frag_size);
	tx->window = window;
	tx->nslots = fit_min(tx->nfrags, window);
	tx->rto = rto;
	tx->acked = &tx->small_acked;
	tx->lost = &tx->small_lost;
	tx->slots = tx->small_slots;
	if (tx->nfrags > 64) {
		/* one allocation for both bitmaps */
		words = FIT_WORDS(tx->nfrags);
		tx->acked = fit_os_alloc(2 * words * sizeof(u64));
		if (!tx->acked)
			goto nomem;
		memset(tx->acked, 0, 2 * words * sizeof(u64));
		tx->lost = tx->acked + words;
	}
	if (tx->nslots > FIT_SMALL_SLOTS) {
		tx->slots = fit_os_alloc(tx->nslots * sizeof(*tx->slots));
		if (!tx->slots)
			goto nomem;
		memset(tx->slots, 0, tx->nslots * sizeof(*tx->slots));
	}
	tx->active = true;
	return 0;

nomem:
	fit_tx_release(tx);
	return -ENOMEM;
}

/* Free what fit_tx_init allocated; the tx is inactive afterwards. */
void fit_tx_release(struct fit_tx *tx)
{
	if (tx->acked && tx->acked != &tx->small_acked)
		fit_os_free(tx->acked);
	if (tx->slots && tx->slots != tx->small_slots)
		fit_os_free(tx->slots);
	tx->acked = NULL;
	tx->lost = NULL;
	tx->slots = NULL;
	tx->active = false;
	tx->deadline = 0;
	tx->nlost = 0;
}

u32 fit_tx_frag_len(const struct fit_tx *tx, u32 idx)
{
	u32 off = idx * tx->frag_size;

	return tx->len ? fit_min(tx->frag_size, tx->len - off) : 0;
}

static void fit_tx_done(struct fit_tx *tx)
{
	tx->active = false;
	tx->deadline = 0;
	tx->recheck = 0;
	tx->nlost = 0;
}

/* The receiver has everything (it replied, or said so). */
void fit_tx_ack_all(struct fit_tx *tx)
{
	tx->nacked = tx->nfrags;
	tx->cum = tx->nfrags;
	tx->high = tx->nfrags;
	fit_tx_done(tx);
}

static void fit_tx_mark_lost(struct fit_tx *tx, u32 idx)
{
	if (!fit_test_bit(tx->acked, idx) && !fit_test_bit(tx->lost, idx)) {
		fit_set_bit(tx->lost, idx);
		tx->nlost++;
	}
}

/*
 * The receiver lost its state: everything sent so far is lost (the SACK
 * that said so is applied next and takes back what did arrive).
 */
void fit_tx_restart(struct fit_tx *tx)
{
	u32 f;

	if (!tx->acked)
		return;
	memset(tx->acked, 0, FIT_WORDS(tx->nfrags) * sizeof(u64));
	memset(tx->lost, 0, FIT_WORDS(tx->nfrags) * sizeof(u64));
	tx->cum = 0;
	tx->high = 0;
	tx->nacked = 0;
	tx->nlost = 0;
	tx->acked_sent = 0;
	tx->recheck = 0;
	tx->active = true;
	for (f = 0; f < tx->next; f++)
		fit_tx_mark_lost(tx, f);
}

static struct fit_slot *fit_tx_slot(struct fit_tx *tx, u32 idx)
{
	return &tx->slots[idx % tx->nslots];
}

static bool fit_tx_can_send_new(struct fit_tx *tx)
{
	while (tx->next < tx->nfrags && fit_test_bit(tx->acked, tx->next))
		tx->next++;
	return tx->next < tx->nfrags && tx->next < tx->cum + tx->window;
}

/*
 * Choose the next fragment to put on the wire: a lost one first, else a
 * new one if the window allows. Returns 0 if there is none. The last
 * fragment of every burst asks for an ACK (FIT_F_ACKREQ), and so does
 * every half window, so that the receiver clocks the sender; a message
 * of one fragment never asks, since its reply (or the DONE for a reply)
 * acknowledges it.
 */
int fit_tx_next(struct fit_tx *tx, u32 *idx, u16 *flags)
{
	u32 f, half, end;

	if (!tx->active)
		return 0;
	/* Lost fragments go first, but only inside the window too. */
	end = fit_min(tx->next, tx->cum + tx->window);
	for (f = tx->cum; tx->nlost && f < end; f++) {
		if (!fit_test_bit(tx->lost, f))
			continue;
		fit_clear_bit(tx->lost, f);
		tx->nlost--;
		*idx = f;
		*flags = FIT_F_RETRANS;
		if (!tx->nlost && !fit_tx_can_send_new(tx))
			*flags |= FIT_F_ACKREQ;
		return 1;
	}
	if (!fit_tx_can_send_new(tx))
		return 0;
	f = tx->next++;
	half = fit_max(tx->window / 2, 1u);
	*flags = 0;
	if (tx->nfrags > 1 && (f == tx->nfrags - 1 || (f + 1) % half == 0 ||
			       !fit_tx_can_send_new(tx)))
		*flags = FIT_F_ACKREQ;
	*idx = f;
	return 1;
}

/* Fragment idx went out now; the retransmission timer restarts. */
void fit_tx_sent(struct fit_tx *tx, u32 idx, u16 flags, u64 now)
{
	struct fit_slot *s = fit_tx_slot(tx, idx);

	s->sends = (flags & FIT_F_RETRANS) ? s->sends + 1 : 1;
	s->sent_ns = now;
	tx->deadline = now + tx->rto;
}

static u32 fit_tx_ack_one(struct fit_tx *tx, u32 f, u64 now, u64 *rtt)
{
	struct fit_slot *s;

	if (fit_test_bit(tx->acked, f))
		return 0;
	fit_set_bit(tx->acked, f);
	tx->nacked++;
	if (fit_test_bit(tx->lost, f)) {
		fit_clear_bit(tx->lost, f);
		tx->nlost--;
	}
	tx->high = fit_max(tx->high, f + 1);
	s = fit_tx_slot(tx, f);
	tx->acked_sent = fit_max(tx->acked_sent, s->sent_ns);
	/* Karn: a fragment sent more than once gives no RTT sample */
	if (rtt && s->sends == 1 && now >= s->sent_ns)
		*rtt = now - s->sent_ns;
	return 1;
}

/*
 * Loss detection, after RACK (RFC 8985): a missing fragment is lost once
 * a fragment sent no earlier has arrived and either that one was sent at
 * least reorder_ns later (the network may reorder a little), or a round
 * trip and reorder_ns have passed since it was itself sent (a burst
 * leaves all at once, so its holes are found by the clock; tx->recheck is
 * when to look next). A retransmission counts from its own send time, so
 * a SACK that left before it arrived does not condemn it again.
 */
static u32 fit_tx_detect(struct fit_tx *tx, u64 now)
{
	u32 f, n = 0;
	u64 sent;

	tx->recheck = 0;
	for (f = tx->cum; f < tx->next; f++) {
		if (fit_test_bit(tx->acked, f) || fit_test_bit(tx->lost, f))
			continue;
		sent = fit_tx_slot(tx, f)->sent_ns;
		if (sent > tx->acked_sent)
			continue;
		if (sent + tx->reorder_ns <= tx->acked_sent ||
		    (f < tx->high && sent + tx->wait_ns <= now)) {
			fit_tx_mark_lost(tx, f);
			n++;
		} else if (f < tx->high &&
			   (!tx->recheck || sent + tx->wait_ns < tx->recheck)) {
			tx->recheck = sent + tx->wait_ns;
		}
	}
	return n;
}

/*
 * Apply a selective acknowledgement and detect losses (sent again by
 * fit_tx_next). srtt is the peer's smoothed RTT, 0 if unknown. Returns
 * how many fragments were newly acknowledged; *rtt gets a sample if one
 * of them had been sent once.
 */
u32 fit_tx_sack(struct fit_tx *tx, const struct fit_sack *sack, u64 now,
		u64 reorder_ns, u64 srtt, u64 *rtt)
{
	u32 cum = fit_le32(sack->cum), nbits = fit_le16(sack->nbits);
	u64 sample = 0;
	u32 f, i, n = 0;

	/* nothing can have arrived that was never sent: a confused peer */
	if (!tx->active || cum > tx->next)
		return 0;
	nbits = fit_min(nbits, (u32)FIT_SACK_BITS);
	for (f = tx->cum; f < cum; f++)
		n += fit_tx_ack_one(tx, f, now, &sample);
	for (i = 0; i < nbits && cum + i < tx->next; i++)
		if ((fit_le64(sack->bits[i / 64]) >> (i % 64)) & 1)
			n += fit_tx_ack_one(tx, cum + i, now, &sample);
	while (tx->cum < tx->nfrags && fit_test_bit(tx->acked, tx->cum))
		tx->cum++;
	if (rtt)
		*rtt = sample;
	if (tx->nacked == tx->nfrags) {
		fit_tx_done(tx);
		return n;
	}
	tx->reorder_ns = reorder_ns;
	tx->wait_ns = (srtt ? srtt : sample) + reorder_ns;
	fit_tx_detect(tx, now);
	if (n)
		tx->backoffs = 0;
	return n;
}

/* When fit_tx_timeout() has something to do; 0 if never. */
u64 fit_tx_timer(const struct fit_tx *tx)
{
	if (!tx->active)
		return 0;
	if (!tx->recheck || (tx->deadline && tx->deadline < tx->recheck))
		return tx->deadline;
	return tx->recheck;
}

/*
 * A timer expired. Holes that waited long enough are lost; failing that,
 * if no acknowledgement came for a whole retransmission timeout, send the
 * last fragment in flight again, asking for an ACK: if only the tail was
 * lost that is all it takes, and otherwise the SACK it brings back shows
 * every hole. The timeout doubles, up to rto_max.
 */
void fit_tx_timeout(struct fit_tx *tx, u64 now, u64 rto_max)
{
	u32 f;

	if (!tx->active)
		return;
	if (tx->recheck && now >= tx->recheck && fit_tx_detect(tx, now))
		return;
	if (!tx->deadline || now < tx->deadline)
		return;
	for (f = tx->next; f-- > tx->cum;) {
		if (!fit_test_bit(tx->acked, f)) {
			fit_tx_mark_lost(tx, f);
			break;
		}
	}
	tx->rto = fit_min(tx->rto * 2, rto_max);
	tx->backoffs++;
	tx->deadline = now + tx->rto;
}

/*
 * Send again every unacknowledged fragment sent at least age_ns ago; the
 * younger ones are probably still on their way.
 */
void fit_tx_mark_unacked_lost(struct fit_tx *tx, u64 now, u64 age_ns)
{
	u32 f;

	if (!tx->active)
		return;
	for (f = tx->cum; f < tx->next; f++)
		if (now >= fit_tx_slot(tx, f)->sent_ns + age_ns)
			fit_tx_mark_lost(tx, f);
}

/* -------------------------------------------------------------- receiving */

int fit_rx_init(struct fit_rx *rx, u32 msg_len, u32 frag_size, void *buf)
{
	memset(rx, 0, sizeof(*rx));
	rx->buf = buf;
	rx->msg_len = msg_len;
	rx->frag_size = frag_size;
	rx->nfrags = fit_nfrags(msg_len, frag_size);
	rx->bits = &rx->small_bits;
	if (rx->nfrags > 64) {
		rx->bits = fit_os_alloc(FIT_WORDS(rx->nfrags) * sizeof(u64));
		if (!rx->bits)
			return -ENOMEM;
		memset(rx->bits, 0, FIT_WORDS(rx->nfrags) * sizeof(u64));
	}
	rx->started = true;
	return 0;
}

/* Free the bitmap; the buffer belongs to whoever supplied it. */
void fit_rx_release(struct fit_rx *rx)
{
	if (rx->bits && rx->bits != &rx->small_bits)
		fit_os_free(rx->bits);
	rx->bits = NULL;
}

/* Every fragment of one message must describe the same message. */
int fit_rx_check(const struct fit_rx *rx, u32 msg_len, u32 frag_size)
{
	if (!rx->bits)
		return -EPROTO;
	return rx->msg_len == msg_len && rx->frag_size == frag_size ? 0 : -EPROTO;
}

/*
 * Returns 0 for a duplicate, 1 for a new fragment, 2 for one that fills a
 * hole the last SACK reported: the sender may be about to resend it, so
 * it deserves a fresh SACK.
 */
int fit_rx_add(struct fit_rx *rx, u32 off, const void *data, u32 len)
{
	u32 idx = off / rx->frag_size;

	if (fit_test_bit(rx->bits, idx))
		return 0;
	fit_set_bit(rx->bits, idx);
	rx->nrecv++;
	if (rx->buf && len)
		memcpy(rx->buf + off, data, len);
	rx->high = fit_max(rx->high, idx + 1);
	while (rx->cum < rx->nfrags && fit_test_bit(rx->bits, rx->cum))
		rx->cum++;
	return idx + 1 < rx->reported ? 2 : 1;
}

bool fit_rx_complete(const struct fit_rx *rx)
{
	return rx->started && rx->nrecv == rx->nfrags;
}

void fit_rx_sack(struct fit_rx *rx, struct fit_sack *sack)
{
	u32 i, n = 0;

	memset(sack, 0, sizeof(*sack));
	if (rx->high > rx->cum)
		n = fit_min(rx->high - rx->cum, (u32)FIT_SACK_BITS);
	for (i = 0; i < n && rx->bits; i++)
		if (fit_test_bit(rx->bits, rx->cum + i))
			sack->bits[i / 64] |= 1ULL << (i % 64);
	for (i = 0; i < FIT_SACK_BITS / 64; i++)
		sack->bits[i] = fit_le64(sack->bits[i]);
	sack->cum = fit_le32(rx->cum);
	sack->nbits = fit_le16((u16)n);
	rx->reported = rx->high;
}
