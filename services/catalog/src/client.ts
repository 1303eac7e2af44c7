import { HttpClient, type HttpClientOptions } from '@quickcart/kit';
import { z } from 'zod';
import * as c from './contract';

const q = (params: object): string => {
  const entries = Object.entries(params).flatMap(([k, v]): [string, string][] =>
    v === undefined ? [] : [[k, String(v)]],
  );
  return entries.length === 0 ? '' : '?' + new URLSearchParams(entries).toString();
};
const seg = encodeURIComponent;

/** Typed client of the catalog service; answers are checked against the contract. */
export class CatalogClient {
  private readonly http: HttpClient;

  constructor(private readonly options: HttpClientOptions) {
    this.http = new HttpClient(options);
  }

  /** The same client, its admin writes audited as done by `actor` (an admin's Telegram id). */
  as(actor: string): CatalogClient {
    return new CatalogClient({
      ...this.options,
      headers: { ...this.options.headers, [c.ACTOR_HEADER]: actor },
    });
  }

  // ----- reads -----
  categories() {
    return this.http.request('GET', '/categories', c.categoryList);
  }
  listProducts(query: c.ListProductsQuery = {}) {
    return this.http.request('GET', `/products${q(query)}`, c.productPage);
  }
  bestSellers(query: { role?: c.Role; limit?: number } = {}) {
    return this.http.request(
      'GET',
      `/products/best-sellers${q(query)}`,
      z.object({ items: z.array(c.productSummary) }),
    );
  }
  product(id: number, query: { role?: c.Role; includeInactive?: boolean } = {}) {
    return this.http.request('GET', `/products/${id}${q(query)}`, c.productDetail);
  }

  // ----- admin writes -----
  addProduct(body: c.AddProductBody) {
    return this.http.request('POST', '/products', c.productDetail, body);
  }
  editProduct(id: number, body: c.EditProductBody) {
    return this.http.request('PATCH', `/products/${id}`, c.productDetail, body);
  }
  changeProductId(id: number, newId: number) {
    return this.http.request('POST', `/products/${id}/change-id`, c.productDetail, { newId });
  }
  adjustSoldCount(id: number, delta: number) {
    return this.http.request('POST', `/products/${id}/sold-count`, c.productDetail, { delta });
  }
  /** /setimage: a Telegram file id for the product detail's picture, or null to remove it. */
  setImage(id: number, fileId: string | null) {
    return this.http.request('PUT', `/products/${id}/image`, c.productDetail, { fileId });
  }
  setDiscount(id: number, discount: c.Discount) {
    return this.http.request('PUT', `/products/${id}/discount`, c.productDetail, discount);
  }
  setCategoryDiscount(category: string, discount: c.Discount) {
    return this.http.request(
      'PUT',
      `/categories/${seg(category)}/discount`,
      z.object({ category: z.string(), discount: c.discount.nullable() }),
      discount,
    );
  }
  deleteProduct(id: number) {
    return this.http.request('DELETE', `/products/${id}`, c.productDetail);
  }

  // ----- stock -----
  addStock(id: number, lines: string[]) {
    return this.http.request('POST', `/products/${id}/stock`, c.addStockResult, { lines });
  }
  deleteStockItem(id: number, itemId: string) {
    return this.http.request('DELETE', `/products/${id}/stock/${seg(itemId)}`, c.deleteStockItemResult);
  }
  deleteAllStock(id: number) {
    return this.http.request('DELETE', `/products/${id}/stock`, c.deleteAllStockResult);
  }
  exportStock(id: number) {
    return this.http.request('GET', `/products/${id}/stock/export`, c.stockExport);
  }

  // ----- reservations -----
  reserve(body: c.ReserveBody) {
    return this.http.request('POST', '/reservations', c.reservation, body);
  }
  reservation(invoiceId: string) {
    return this.http.request('GET', `/reservations/${seg(invoiceId)}`, c.reservation);
  }
  heldReservations(query: c.HeldReservationsQuery) {
    return this.http.request('GET', `/reservations${q(query)}`, c.heldReservationPage);
  }
  commit(invoiceId: string) {
    return this.http.request('POST', `/reservations/${seg(invoiceId)}/commit`, c.reservation);
  }
  release(invoiceId: string) {
    return this.http.request('POST', `/reservations/${seg(invoiceId)}/release`, c.reservation);
  }
  committedItems(invoiceId: string) {
    return this.http.request('GET', `/reservations/${seg(invoiceId)}/items`, c.committedReservation);
  }
}
