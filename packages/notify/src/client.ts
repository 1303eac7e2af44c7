import { HttpClient, type HttpClientOptions } from '@quickcart/kit';
import { notifyResponse, type NotifyRequest, type NotifyResponse } from './contract';

/** Typed client of the gateway's POST /notify. */
export class NotifyClient {
  private readonly http: HttpClient;

  constructor(options: HttpClientOptions) {
    this.http = new HttpClient(options);
  }

  notify(request: NotifyRequest): Promise<NotifyResponse> {
    return this.http.request('POST', '/notify', notifyResponse, request);
  }
}
