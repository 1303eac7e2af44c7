/** One press's claim on its product while its run opens it. */
export interface PressClaim {
  /** The invoice id this draw of the press runs under (a clash draws another). */
  drawn(invoiceId: string): void;
  /** The press is answered, whatever the answer: its claim ends. */
  end(): void;
}

interface Claim {
  productId: number;
  /** Pressed for and not yet reserved: 0 once its reservation is made (the catalog's count has it). */
  quantity: number;
  invoiceId?: string;
}

/**
 * The presses of each product between checkout's cheap check and their run's reservation, in this
 * orders process (issue 18, the flash sale). The catalog's count only drops when a run reserves, so
 * 2,000 presses arriving together all pass a check of that count and all start runs: on two cores
 * Temporal then answers "busy" to nearly everyone, the "busy" presses come again, and nobody is served.
 * Counting what is pressed for and not yet reserved answers the losers "sold out" before anything
 * starts. The reservation inside `open` stays the truth; this only keeps runs from starting that could
 * not get an item. Each orders process counts its own presses, so with several copies a few more runs
 * may start than items are left; none is refused for an item a press has not yet claimed, since a
 * claim ends as soon as its reservation is made or its press is answered.
 */
export class PressesInFlight {
  private readonly claims = new Set<Claim>();
  private readonly byInvoice = new Map<string, Claim>();

  /** What presses in flight have claimed of the product and not yet reserved. */
  unreserved(productId: number): number {
    let claimed = 0;
    for (const c of this.claims) if (c.productId === productId) claimed += c.quantity;
    return claimed;
  }

  /**
   * Claims `quantity` of what the catalog counts `available`, beside the claims already in flight;
   * undefined when it does not fit. Synchronous, so no other press can claim between check and claim.
   */
  claim(productId: number, quantity: number, available: number): PressClaim | undefined {
    if (this.unreserved(productId) + quantity > available) return undefined;
    const claim: Claim = { productId, quantity };
    this.claims.add(claim);
    return {
      drawn: (invoiceId) => {
        if (claim.invoiceId !== undefined) this.byInvoice.delete(claim.invoiceId);
        claim.invoiceId = invoiceId;
        this.byInvoice.set(invoiceId, claim);
      },
      end: () => {
        this.claims.delete(claim);
        if (claim.invoiceId !== undefined) this.byInvoice.delete(claim.invoiceId);
      },
    };
  }

  /** The invoice's reservation is made: the catalog's count has it, so its claim counts no more. */
  reserved(invoiceId: string): void {
    const claim = this.byInvoice.get(invoiceId);
    if (claim) claim.quantity = 0;
  }
}
