/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel 8254x (82540EM, 82545EM) registers and descriptors used by the
 * e1000 driver, from Intel's PCI/PCI-X Family of Gigabit Ethernet
 * Controllers Software Developer's Manual.
 */
#ifndef _DRIVERS_NET_E1000_H
#define _DRIVERS_NET_E1000_H

#include <lego/types.h>

/* Register the driver with the PCI core; called from net_drivers_init(). */
int e1000_driver_init(void);

/* Register offsets in BAR0 */
#define E1000_CTRL	0x0000	/* device control */
#define E1000_STATUS	0x0008	/* device status */
#define E1000_EERD	0x0014	/* EEPROM read */
#define E1000_FCAL	0x0028	/* flow control address low */
#define E1000_FCAH	0x002c	/* flow control address high */
#define E1000_FCT	0x0030	/* flow control type */
#define E1000_FCTTV	0x0170	/* flow control transmit timer value */
#define E1000_ICR	0x00c0	/* interrupt cause read (clears on read) */
#define E1000_ITR	0x00c4	/* interrupt throttling */
#define E1000_IMS	0x00d0	/* interrupt mask set (enable) */
#define E1000_IMC	0x00d8	/* interrupt mask clear (disable) */
#define E1000_RCTL	0x0100	/* receive control */
#define E1000_TCTL	0x0400	/* transmit control */
#define E1000_TIPG	0x0410	/* transmit inter-packet gap */
#define E1000_RDBAL	0x2800	/* receive ring base, low and high */
#define E1000_RDBAH	0x2804
#define E1000_RDLEN	0x2808	/* receive ring size in bytes */
#define E1000_RDH	0x2810	/* receive head (hardware) */
#define E1000_RDT	0x2818	/* receive tail (software) */
#define E1000_RDTR	0x2820	/* receive interrupt delay */
#define E1000_RADV	0x282c	/* receive interrupt absolute delay */
#define E1000_TDBAL	0x3800	/* transmit ring base, low and high */
#define E1000_TDBAH	0x3804
#define E1000_TDLEN	0x3808
#define E1000_TDH	0x3810
#define E1000_TDT	0x3818
#define E1000_TIDV	0x3820	/* transmit interrupt delay */
#define E1000_MTA	0x5200	/* multicast table, 128 dwords */
#define E1000_MTA_SIZE	128
#define E1000_RAL0	0x5400	/* receive address 0, low and high */
#define E1000_RAH0	0x5404

/* CTRL */
#define E1000_CTRL_FD		(1u << 0)	/* full duplex */
#define E1000_CTRL_LRST		(1u << 3)	/* link reset */
#define E1000_CTRL_ASDE		(1u << 5)	/* auto speed detection */
#define E1000_CTRL_SLU		(1u << 6)	/* set link up */
#define E1000_CTRL_ILOS		(1u << 7)	/* invert loss-of-signal */
#define E1000_CTRL_RFCE		(1u << 27)	/* honour received pause frames */
#define E1000_CTRL_TFCE		(1u << 28)	/* send pause frames */
#define E1000_CTRL_RST		(1u << 26)	/* device reset, self-clearing */
#define E1000_CTRL_VME		(1u << 30)	/* VLAN mode */
#define E1000_CTRL_PHY_RST	(1u << 31)

/* STATUS */
#define E1000_STATUS_FD		(1u << 0)
#define E1000_STATUS_LU		(1u << 1)	/* link up */
#define E1000_STATUS_SPEED_SHIFT 6		/* 0: 10, 1: 100, 2 or 3: 1000 Mb/s */
#define E1000_STATUS_SPEED_MASK	(3u << E1000_STATUS_SPEED_SHIFT)

/* EERD on the 82540/82545 (the 82541/82547 lay it out differently) */
#define E1000_EERD_START	(1u << 0)
#define E1000_EERD_DONE		(1u << 4)
#define E1000_EERD_ADDR_SHIFT	8
#define E1000_EERD_DATA_SHIFT	16

/* Interrupt causes: ICR, ICS, IMS and IMC share the layout */
#define E1000_ICR_TXDW		(1u << 0)	/* transmit descriptor written back */
#define E1000_ICR_LSC		(1u << 2)	/* link status change */
#define E1000_ICR_RXSEQ		(1u << 3)	/* receive sequence error */
#define E1000_ICR_RXDMT0	(1u << 4)	/* receive ring below threshold */
#define E1000_ICR_RXO		(1u << 6)	/* receiver overrun */
#define E1000_ICR_RXT0		(1u << 7)	/* receiver timer: frames arrived */

/* RCTL */
#define E1000_RCTL_EN		(1u << 1)
#define E1000_RCTL_SBP		(1u << 2)	/* store bad packets */
#define E1000_RCTL_UPE		(1u << 3)	/* unicast promiscuous */
#define E1000_RCTL_MPE		(1u << 4)	/* multicast promiscuous */
#define E1000_RCTL_LPE		(1u << 5)	/* long packets, up to 16384 bytes */
#define E1000_RCTL_RDMTS_HALF	(0u << 8)	/* RXDMT0 at half the ring free */
#define E1000_RCTL_BAM		(1u << 15)	/* accept broadcast */
#define E1000_RCTL_BSIZE_2048	(0u << 16)	/* with BSEX clear */
#define E1000_RCTL_BSEX		(1u << 25)	/* buffer size x16 */
#define E1000_RCTL_SECRC	(1u << 26)	/* strip the Ethernet CRC */

/* TCTL */
#define E1000_TCTL_EN		(1u << 1)
#define E1000_TCTL_PSP		(1u << 3)	/* pad short packets */
#define E1000_TCTL_CT_SHIFT	4		/* collision threshold */
#define E1000_TCTL_COLD_SHIFT	12		/* collision distance */
#define E1000_TCTL_CT		(0x0fu << E1000_TCTL_CT_SHIFT)
#define E1000_TCTL_COLD_FD	(0x40u << E1000_TCTL_COLD_SHIFT)	/* full duplex */
#define E1000_TCTL_RTLC		(1u << 24)	/* retransmit on late collision */

/* TIPG: the values the manual gives for 10/100/1000BASE-T on the 82540/82545 */
#define E1000_TIPG_IPGT		10
#define E1000_TIPG_IPGR1	8
#define E1000_TIPG_IPGR2	6
#define E1000_TIPG_VALUE	(E1000_TIPG_IPGT | E1000_TIPG_IPGR1 << 10 | \
				 E1000_TIPG_IPGR2 << 20)

/* RAH */
#define E1000_RAH_AV		(1u << 31)	/* address valid */

/* Legacy receive descriptor: 16 bytes, naturally aligned, no padding */
struct e1000_rx_desc {
	u64 addr;
	u16 length;
	u16 csum;
	u8 status;
	u8 errors;
	u16 special;
};

#define E1000_RXD_STAT_DD	(1u << 0)	/* descriptor done */
#define E1000_RXD_STAT_EOP	(1u << 1)	/* last descriptor of a frame */
/* CE, SE, SEQ, CXE and RXE: the frame is damaged (TCPE/IPE are offloads we leave off) */
#define E1000_RXD_ERR_FRAME	((1u << 0) | (1u << 1) | (1u << 2) | (1u << 4) | (1u << 7))

/* Legacy transmit descriptor: 16 bytes */
struct e1000_tx_desc {
	u64 addr;
	u16 length;
	u8 cso;
	u8 cmd;
	u8 status;
	u8 css;
	u16 special;
};

#define E1000_TXD_CMD_EOP	(1u << 0)	/* end of packet */
#define E1000_TXD_CMD_IFCS	(1u << 1)	/* insert FCS */
#define E1000_TXD_CMD_RS	(1u << 3)	/* report status (write DD back) */
#define E1000_TXD_STAT_DD	(1u << 0)

#endif
