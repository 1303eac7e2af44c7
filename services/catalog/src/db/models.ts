import { Column, DataType, Model, PrimaryKey, Table } from 'sequelize-typescript';

const table = { schema: 'catalog', underscored: true, timestamps: true } as const;

@Table({ ...table, tableName: 'products' })
export class Product extends Model {
  @PrimaryKey @Column(DataType.INTEGER) declare id: number;
  @Column(DataType.TEXT) declare name: string;
  @Column(DataType.TEXT) declare description: string;
  @Column(DataType.TEXT) declare category: string;
  @Column(DataType.BIGINT) declare customerPrice: number;
  @Column(DataType.BIGINT) declare resellerPrice: number | null;
  @Column(DataType.TEXT) declare discountType: 'percent' | 'nominal' | null;
  @Column(DataType.BIGINT) declare discountValue: number | null;
  @Column(DataType.BOOLEAN) declare isActive: boolean;
  @Column(DataType.INTEGER) declare soldCount: number;
  @Column(DataType.TEXT) declare imageFileId: string | null;
  /** Kept by the stock triggers (stock-counts.ts); never written from here. */
  @Column(DataType.INTEGER) declare stockAvailable: number;
  @Column(DataType.INTEGER) declare stockReserved: number;
}

@Table({ ...table, tableName: 'category_discounts', createdAt: false })
export class CategoryDiscount extends Model {
  @PrimaryKey @Column(DataType.TEXT) declare category: string;
  @Column(DataType.TEXT) declare discountType: 'percent' | 'nominal';
  @Column(DataType.BIGINT) declare discountValue: number;
}

export type StockStatus = 'available' | 'reserved' | 'sold';

@Table({ ...table, tableName: 'stock_items' })
export class StockItem extends Model {
  @PrimaryKey @Column(DataType.UUID) declare id: string;
  @Column(DataType.INTEGER) declare productId: number;
  @Column(DataType.TEXT) declare content: string;
  @Column(DataType.TEXT) declare status: StockStatus;
  @Column(DataType.TEXT) declare invoiceId: string | null;
  @Column(DataType.DATE) declare soldAt: Date | null;
}

// Reservations are read and written with explicit SQL (stock/reservations.ts): their locking is the point.
export const catalogModels = [Product, CategoryDiscount, StockItem];
